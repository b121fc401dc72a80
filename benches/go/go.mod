module chartroom.example/bench

go 1.26

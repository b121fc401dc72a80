module chartroom.example/godiff

go 1.26

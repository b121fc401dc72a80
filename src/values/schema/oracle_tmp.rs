use super::*;
use std::io::BufRead;
fn to_value(v: &serde_json::Value, ints: bool) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if ints {
                if let Some(i) = n.as_i64() {
                    return Value::int64(i);
                }
            }
            Value::Float(n.as_f64().unwrap())
        }
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(|x| to_value(x, ints)).collect()),
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, x) in o {
                m.insert(k.clone(), to_value(x, ints));
            }
            Value::Map(m)
        }
    }
}
#[test]
fn oracle_compare() {
    let Ok(dir) = std::env::var("SCHEMA_ORACLE_DIR") else {
        return;
    };
    let cases = std::fs::File::open(format!("{dir}/cases.jsonl")).unwrap();
    let want = std::fs::File::open(format!("{dir}/oracle.out")).unwrap();
    let mut out = String::new();
    let (mut n, mut ok) = (0, 0);
    for (c, w) in std::io::BufReader::new(cases)
        .lines()
        .zip(std::io::BufReader::new(want).lines())
    {
        let c: serde_json::Value = serde_json::from_str(&c.unwrap()).unwrap();
        let w: serde_json::Value = serde_json::from_str(&w.unwrap()).unwrap();
        let schema = match c.get("schemaText").and_then(|t| t.as_str()) {
            Some(t) => t.to_string(),
            None => c["schema"].to_string(),
        };
        let values = to_value(&c["values"], c["ints"].as_bool().unwrap_or(false));
        let got = validate_single_schema(schema.as_bytes(), &values)
            .err()
            .map(|e| e.text().to_string());
        let want = w.get("err").and_then(|e| e.as_str()).map(str::to_string);
        n += 1;
        if got == want {
            ok += 1;
        } else {
            out.push_str(&format!(
                "== {}\n go: {:?}\n rs: {:?}\n",
                c["name"], want, got
            ));
        }
    }
    std::fs::write(format!("{dir}/rust.diff"), &out).unwrap();
    println!("{ok}/{n} identical");
}

//! TEMPORARY: compare with the Go oracle output (not for commit).
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
        let ints = c["ints"].as_bool().unwrap_or(false);
        let values = to_value(&c["values"], ints);
        let got = validate_single_schema(schema.as_bytes(), &values);
        let got = got.err().map(|e| e.text().to_string());
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

#[test]
fn numfmt_vectors() {
    let Ok(p) = std::env::var("NUMFMT_VECTORS") else {
        return;
    };
    let text = std::fs::read_to_string(p).unwrap();
    let (mut n, mut ok) = (0, 0);
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        n += 1;
        let got = if f[0] == "F" {
            super::number::en_float(f64::from_bits(f[1].parse().unwrap()))
        } else {
            super::number::en_int(f[1].parse().unwrap())
        };
        if got == f[2] {
            ok += 1
        } else {
            println!("{line} -> {got}")
        }
    }
    println!("numfmt {ok}/{n}");
}

#[test]
fn deep_values_stack() {
    let Ok(n) = std::env::var("DEEP_N") else { return };
    let n: usize = n.parse().unwrap();
    let mut v = Value::Map(Map::new());
    for _ in 0..n {
        let m = Map::new();
        m.insert("a", v);
        v = Value::Map(m);
    }
    let r = validate_single_schema(br##"{"$defs": {"n": {"type": "object", "additionalProperties": {"$ref": "#/$defs/n"}, "properties": {"a": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"}"##, &v);
    println!("depth {n}: {:?}", r.err().map(|e| e.text().chars().take(100).collect::<String>()));
}

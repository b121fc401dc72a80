//! Fuzz target: chart loading and values parsing. The first byte picks what
//! the rest feeds: a `.tgz` archive, a `--set` line (every strvals parser),
//! a values file, a `--set-json` line, or a whole small chart (values.yaml
//! and one template from the input) rendered end to end under execution
//! budgets. None may panic; errors are fine.

#![no_main]

use chartroom::api::{render_chart, RenderOptions};
use chartroom::chart::{load, File};
use chartroom::template::ExecOptions;
use chartroom::values::strvals;
use chartroom::Map;
use libfuzzer_sys::fuzz_target;

const MAX_INPUT: usize = 16 * 1024;

fuzz_target!(|bytes: &[u8]| {
    if bytes.is_empty() || bytes.len() > MAX_INPUT {
        return;
    }
    let (mode, rest) = (bytes[0] % 5, &bytes[1..]);
    match mode {
        0 => {
            let _ = load::load_archive(rest);
        }
        1 => {
            let text = String::from_utf8_lossy(rest);
            let _ = strvals::parse(&text);
            let _ = strvals::parse_string(&text);
            let _ = strvals::parse_literal(&text);
        }
        2 => {
            let text = String::from_utf8_lossy(rest);
            let _ = chartroom::yaml::from_yaml_map(&text);
            let _ = chartroom::yaml::from_yaml(&text).map(|v| chartroom::yaml::to_yaml(&v));
        }
        3 => {
            let text = String::from_utf8_lossy(rest);
            let dest = Map::new();
            let json = |t: &str| chartroom::yaml::from_json_prefix(t).map_err(|e| e.to_string());
            let _ = strvals::parse_json(&text, &dest, &json);
        }
        _ => {
            let text = String::from_utf8_lossy(rest);
            let (values, template) = text
                .split_once('\u{0}')
                .unwrap_or((&text, "{{ toYaml .Values }}"));
            let files = vec![
                File {
                    name: "Chart.yaml".into(),
                    data: b"apiVersion: v2\nname: fuzz\nversion: 0.1.0\n"
                        .to_vec()
                        .into(),
                },
                File {
                    name: "values.yaml".into(),
                    data: values.as_bytes().to_vec().into(),
                },
                File {
                    name: "templates/a.yaml".into(),
                    data: template.as_bytes().to_vec().into(),
                },
            ];
            let Ok(chart) = load::load_file_tree(files) else {
                return;
            };
            let options = RenderOptions {
                exec: ExecOptions {
                    max_steps: Some(200_000),
                    max_output_bytes: Some(1 << 20),
                    ..ExecOptions::default()
                },
                ..RenderOptions::default()
            };
            let _ = render_chart(chart, &options, &|_| Err("no files".into()), None);
        }
    }
});

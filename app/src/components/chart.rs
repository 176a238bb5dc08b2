//! Charts drawn as SVG on the server: pure functions from figures to markup, so the same
//! picture renders with or without JavaScript and the geometry is unit-tested.
//!
//! Every chart is `role="img"` with a `<title>` and `<desc>`; colours meet 3:1 against
//! white and the Not Yet Competent and awaiting segments also carry a pattern, so no chart
//! relies on colour alone. Pages show the figures as a table beside each chart (the text
//! equivalent, with the drill-down links for keyboards); the links inside the picture are
//! for pointers only (`tabindex="-1"`).

/// Escapes text for SVG/HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Splits `width` among `values` in proportion: the (x, width) of each segment, in
/// order. Widths add up to `width` exactly (or all zero when the values are).
pub fn stack(values: &[u64], width: f64) -> Vec<(f64, f64)> {
    let total: u64 = values.iter().sum();
    let mut x = 0.0;
    values
        .iter()
        .map(|v| {
            let w = if total == 0 {
                0.0
            } else {
                width * (*v as f64) / (total as f64)
            };
            let seg = (x, w);
            x += w;
            seg
        })
        .collect()
}

/// Length of a bar showing `value` on a scale whose largest value is `max`.
pub fn bar_length(value: u64, max: u64, width: f64) -> f64 {
    if max == 0 {
        0.0
    } else {
        width * (value as f64) / (max as f64)
    }
}

/// One kind of segment: its name, fill colour and optional pattern.
#[derive(Clone, Copy, Debug)]
pub struct Series {
    /// What the segment counts.
    pub name: &'static str,
    /// Fill (meets 3:1 on white).
    pub colour: &'static str,
    /// `None`, `Some("stripes")` or `Some("dots")`.
    pub pattern: Option<&'static str>,
}

/// A bar: its label, its values (one per series), and where each segment leads.
#[derive(Clone, Debug)]
pub struct Bar {
    /// Shown at the left.
    pub label: String,
    /// One value per series.
    pub values: Vec<u64>,
    /// One link per series (drill-down), empty for none.
    pub links: Vec<String>,
}

const LABEL_W: f64 = 150.0;
const PLOT_W: f64 = 420.0;
const VALUE_W: f64 = 70.0;
const ROW_H: f64 = 24.0;
const BAR_H: f64 = 16.0;
const LEGEND_H: f64 = 28.0;

fn defs(id: &str, series: &[Series]) -> String {
    let mut out = String::from("<defs>");
    for (i, s) in series.iter().enumerate() {
        match s.pattern {
            Some("stripes") => out.push_str(&format!(
                "<pattern id=\"{id}-p{i}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
                 <rect width=\"6\" height=\"6\" fill=\"{c}\"/><rect width=\"2\" height=\"6\" fill=\"#ffffff\"/></pattern>",
                c = s.colour
            )),
            Some("dots") => out.push_str(&format!(
                "<pattern id=\"{id}-p{i}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
                 <rect width=\"6\" height=\"6\" fill=\"{c}\"/><circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"#ffffff\"/></pattern>",
                c = s.colour
            )),
            _ => {}
        }
    }
    out.push_str("</defs>");
    out
}

fn fill(id: &str, i: usize, s: &Series) -> String {
    match s.pattern {
        Some(_) => format!("url(#{id}-p{i})"),
        None => s.colour.to_string(),
    }
}

fn legend(id: &str, series: &[Series], y: f64) -> String {
    let mut out = String::new();
    let mut x = 0.0;
    for (i, s) in series.iter().enumerate() {
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"14\" height=\"14\" fill=\"{}\" stroke=\"#1f2328\" stroke-width=\"0.5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-text\">{}</text>",
            fill(id, i, s),
            x + 18.0,
            y + 12.0,
            escape(s.name)
        ));
        x += 28.0 + 7.5 * s.name.chars().count() as f64;
    }
    out
}

fn open(id: &str, title: &str, desc: &str, height: f64) -> String {
    let width = LABEL_W + PLOT_W + VALUE_W;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc)
    )
}

/// A stacked bar per row, each 100% wide (shares of its total), with a legend; segments
/// link to `links` when given. `id` makes pattern ids unique on the page.
pub fn stacked_bars(id: &str, title: &str, desc: &str, series: &[Series], bars: &[Bar]) -> String {
    let height = LEGEND_H + ROW_H * bars.len().max(1) as f64;
    let mut out = open(id, title, desc, height);
    out.push_str(&defs(id, series));
    out.push_str(&legend(id, series, 4.0));
    for (r, bar) in bars.iter().enumerate() {
        let y = LEGEND_H + ROW_H * r as f64;
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" class=\"chart-text\">{}</text>",
            LABEL_W - 8.0,
            y + BAR_H - 3.0,
            escape(&bar.label)
        ));
        let total: u64 = bar.values.iter().sum();
        for (i, ((x, w), s)) in stack(&bar.values, PLOT_W)
            .into_iter()
            .zip(series)
            .enumerate()
        {
            if w <= 0.0 {
                continue;
            }
            let rect = format!(
                "<rect x=\"{:.2}\" y=\"{y:.1}\" width=\"{w:.2}\" height=\"{BAR_H:.1}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1\">\
                 <title>{}: {} of {total}</title></rect>",
                LABEL_W + x,
                fill(id, i, s),
                escape(&format!("{} — {}", bar.label, s.name)),
                bar.values[i],
            );
            match bar.links.get(i) {
                Some(href) if !href.is_empty() => out.push_str(&format!(
                    "<a href=\"{}\" tabindex=\"-1\">{rect}</a>",
                    escape(href)
                )),
                _ => out.push_str(&rect),
            }
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-text\">{total}</text>",
            LABEL_W + PLOT_W + 8.0,
            y + BAR_H - 3.0
        ));
    }
    out.push_str("</svg>");
    out
}

/// One horizontal bar per row, lengths on a common scale (the largest value fills the
/// plot), the value written at the end of each bar.
pub fn bars(id: &str, title: &str, desc: &str, colour: &str, rows: &[(String, u64)]) -> String {
    let height = ROW_H * rows.len().max(1) as f64 + 8.0;
    let mut out = open(id, title, desc, height);
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0);
    for (r, (label, value)) in rows.iter().enumerate() {
        let y = 4.0 + ROW_H * r as f64;
        let w = bar_length(*value, max, PLOT_W);
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" class=\"chart-text\">{}</text>\
             <rect x=\"{LABEL_W:.1}\" y=\"{y:.1}\" width=\"{w:.2}\" height=\"{BAR_H:.1}\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-text\">{value}</text>",
            LABEL_W - 8.0,
            y + BAR_H - 3.0,
            escape(label),
            LABEL_W + w + 6.0,
            y + BAR_H - 3.0,
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_split_the_width_in_proportion() {
        let s = stack(&[1, 2, 1], 400.0);
        assert_eq!(s, vec![(0.0, 100.0), (100.0, 200.0), (300.0, 100.0)]);
        let end = s.last().map(|(x, w)| x + w).unwrap();
        assert!((end - 400.0).abs() < 1e-9);
        assert_eq!(stack(&[0, 0], 400.0), vec![(0.0, 0.0), (0.0, 0.0)]);
        assert!(stack(&[], 400.0).is_empty());
    }

    #[test]
    fn bars_share_one_scale() {
        assert_eq!(bar_length(5, 10, 420.0), 210.0);
        assert_eq!(bar_length(10, 10, 420.0), 420.0);
        assert_eq!(bar_length(3, 0, 420.0), 0.0);
    }

    #[test]
    fn charts_are_labelled_images_with_escaped_text() {
        let series = [
            Series {
                name: "Achieved",
                colour: "#1a7f37",
                pattern: None,
            },
            Series {
                name: "NYC",
                colour: "#b3261e",
                pattern: Some("stripes"),
            },
        ];
        let svg = stacked_bars(
            "d",
            "Outcomes <per> unit",
            "Shares",
            &series,
            &[Bar {
                label: "A&B".into(),
                values: vec![3, 1],
                links: vec!["?unit=1&state=achieved".into(), String::new()],
            }],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"d-title\">Outcomes &lt;per&gt; unit</title>"));
        assert!(svg.contains("A&amp;B"));
        assert!(svg.contains("href=\"?unit=1&amp;state=achieved\" tabindex=\"-1\""));
        assert!(svg.contains("url(#d-p1)"));
        assert!(svg.contains("width=\"315.00\""));
        assert!(svg.contains("width=\"105.00\""));
        let svg = bars("c", "Progress", "Learners", "#0b5cad", &[("All".into(), 4)]);
        assert!(svg.contains("width=\"420.00\""));
        assert!(svg.ends_with("</svg>"));
    }
}

//! The dashboard's charts: SVG drawn on the server (charts-rs) from the same
//! tables the page shows beside them, so they need no JavaScript and a
//! screen reader reads the table. Each chart is an image with the table's
//! title as its accessible name.

use super::tables::{Cell, Table};
use charts_rs::{BarChart, HorizontalBarChart, Series};

/// What a chart draws from its table: which columns are series, and how.
pub(crate) struct ChartSpec {
    /// The columns drawn, each a series.
    pub(crate) columns: &'static [usize],
    pub(crate) horizontal: bool,
}

/// Which tables get a chart, and how.
pub(crate) fn chart_spec(table: &str) -> Option<ChartSpec> {
    let (columns, horizontal): (&'static [usize], bool) = match table {
        "trend" => (&[1, 2], false),
        "targets" => (&[3], true),
        "steps" => (&[1, 2], false),
        "by-category" | "by-technician" | "by-mode" => (&[2], true),
        "open-state" | "ratings" => (&[1], false),
        _ => return None,
    };
    Some(ChartSpec {
        columns,
        horizontal,
    })
}

/// Escapes text for an SVG title.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart of `table`, as inline SVG; `None` when it has none or nothing
/// to draw.
pub(crate) fn chart_svg(table: &Table) -> Option<String> {
    let spec = chart_spec(table.id)?;
    if table.rows.is_empty() {
        return None;
    }
    // Long trends keep every label legible by showing fewer of them.
    let labels: Vec<String> = table
        .rows
        .iter()
        .map(|row| match row.first() {
            Some(Cell::Text(t)) => t.chars().take(24).collect(),
            Some(other) => other.plain(),
            None => String::new(),
        })
        .collect();
    let series: Vec<Series> = spec
        .columns
        .iter()
        .map(|&column| {
            let values = table
                .rows
                .iter()
                .map(|row| row.get(column).and_then(Cell::number).unwrap_or(0.0) as f32)
                .collect();
            Series::new(
                table.columns.get(column).cloned().unwrap_or_default(),
                values,
            )
        })
        .collect();
    if series
        .iter()
        .all(|s| s.data.iter().all(|v| v.unwrap_or(0.0) == 0.0))
    {
        return None;
    }
    let rows = table.rows.len() as f32;
    let svg = if spec.horizontal {
        let mut chart = HorizontalBarChart::new(series, labels);
        chart.width = 560.0;
        chart.height = (90.0 + rows * 34.0).min(900.0);
        chart.margin.left = 10.0;
        chart.svg().ok()?
    } else {
        let mut chart = BarChart::new(series, labels);
        chart.width = 640.0;
        chart.height = 300.0;
        chart.svg().ok()?
    };
    let title_id = format!("chart-{}-title", table.id);
    let opening = format!(
        "<svg role=\"img\" aria-labelledby=\"{title_id}\" class=\"report-chart\" preserveAspectRatio=\"xMinYMin meet\" "
    );
    let svg = svg.replacen("<svg ", &opening, 1);
    let at = svg.find('>')? + 1;
    Some(format!(
        "{}<title id=\"{title_id}\">{}</title>{}",
        &svg[..at],
        escaped(&table.title),
        &svg[at..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(id: &'static str, rows: Vec<Vec<Cell>>) -> Table {
        Table {
            id,
            title: "Cumplimiento <por> categoría & más".into(),
            columns: vec!["Categoría".into(), "Cerrados".into(), "% meta".into()],
            rows,
        }
    }

    #[test]
    fn a_chart_is_an_image_named_by_its_table_and_escapes_its_text() {
        let svg = chart_svg(&table(
            "by-category",
            vec![
                vec![
                    Cell::Text("<script>x</script>".into()),
                    Cell::Count(3),
                    Cell::Percent(Some(50.0)),
                ],
                vec![
                    Cell::Text("Clave".into()),
                    Cell::Count(1),
                    Cell::Percent(Some(100.0)),
                ],
            ],
        ))
        .expect("a chart");
        assert!(svg.starts_with("<svg role=\"img\" aria-labelledby=\"chart-by-category-title\""));
        assert!(svg.contains(
            "<title id=\"chart-by-category-title\">Cumplimiento &lt;por&gt; categoría &amp; más</title>"
        ));
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(
            !svg.contains("style="),
            "no inline style: the CSP forbids it"
        );
    }

    #[test]
    fn nothing_to_draw_draws_nothing() {
        assert_eq!(chart_svg(&table("by-category", vec![])), None);
        let zeros = vec![vec![
            Cell::Text("A".into()),
            Cell::Count(0),
            Cell::Percent(None),
        ]];
        assert_eq!(chart_svg(&table("by-category", zeros)), None);
        let any = vec![vec![
            Cell::Text("A".into()),
            Cell::Count(2),
            Cell::Percent(Some(10.0)),
        ]];
        assert_eq!(
            chart_svg(&table("summary", any)),
            None,
            "the summary has no chart"
        );
    }
}

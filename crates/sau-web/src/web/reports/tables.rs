//! The dashboard as tables: one builder for the page, its charts and its
//! CSV and XLSX exports, so the three always show the same figures.

use crate::i18n::Lang;
use crate::web::chrome::Chrome;
use sau_domain::{Compliance, Granularity, Step, TargetKind};
use sau_service::{Dashboard, GroupFigures, Tally};

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Count(i64),
    /// A share in percent; `None`: nothing to share.
    Percent(Option<f64>),
    /// A duration in minutes.
    Minutes(Option<f64>),
    /// An average rating, 1 to 5.
    Score(Option<f64>),
}

fn decimal(x: f64, lang: Lang) -> String {
    let text = format!("{x:.1}");
    match lang {
        Lang::Es => text.replace('.', ","),
        Lang::En => text,
    }
}

impl Cell {
    /// As shown on the page.
    pub(crate) fn shown(&self, lang: Lang) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(Some(p)) => match lang {
                Lang::Es => format!("{} %", decimal(*p, lang)),
                Lang::En => format!("{}%", decimal(*p, lang)),
            },
            Cell::Minutes(Some(m)) => format!("{} min", decimal(*m, lang)),
            Cell::Score(Some(s)) => decimal(*s, lang),
            Cell::Percent(None) | Cell::Minutes(None) | Cell::Score(None) => "—".into(),
        }
    }

    /// As written to a CSV file: numbers plain, with a point.
    pub(crate) fn plain(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(Some(x)) | Cell::Minutes(Some(x)) | Cell::Score(Some(x)) => {
                format!("{x:.1}")
            }
            Cell::Percent(None) | Cell::Minutes(None) | Cell::Score(None) => String::new(),
        }
    }

    /// The number in it, for charts.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Percent(x) | Cell::Minutes(x) | Cell::Score(x) => *x,
            Cell::Text(_) => None,
        }
    }

    /// Whether it is right-aligned on the page.
    pub(crate) fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// One table of the report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Unique on the page, in the export's address and as the sheet's name.
    pub(crate) id: &'static str,
    pub(crate) title: String,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

fn minutes(secs: Option<i64>) -> Cell {
    Cell::Minutes(secs.map(|s| s as f64 / 60.0))
}

fn name(lang: Lang, t: &Tally, none: &str) -> String {
    let name = lang.pick(&t.name_es, &t.name_en);
    if name.is_empty() {
        none.to_owned()
    } else {
        name.to_owned()
    }
}

/// The label of a trend's group.
pub(crate) fn period_label(chrome: &Chrome, by: Granularity, start: jiff::civil::Date) -> String {
    match by {
        Granularity::Day => start.to_string(),
        Granularity::Week => format!("{} {start}", chrome.t("reports-week-of")),
        Granularity::Month => format!("{:04}-{:02}", start.year(), start.month()),
    }
}

fn target_name(chrome: &Chrome, kind: TargetKind) -> String {
    chrome.t(&format!("reports-target-{}", kind.as_str()))
}

fn step_name(chrome: &Chrome, step: Step) -> String {
    chrome.t(&format!("reports-step-{}", step.as_str()))
}

fn groups(chrome: &Chrome, id: &'static str, heading: &str, groups: &[GroupFigures]) -> Table {
    let none = chrome.t("reports-none");
    let total = 3;
    Table {
        id,
        title: chrome.t(heading),
        columns: vec![
            chrome.t("reports-col-group"),
            chrome.t("reports-col-closed"),
            chrome.t("reports-col-total-met"),
            chrome.t("reports-col-resolve-met"),
            chrome.t("reports-col-average-total"),
            chrome.t("reports-col-rating"),
        ],
        rows: groups
            .iter()
            .map(|g| {
                vec![
                    Cell::Text(name(chrome.lang, &g.group, &none)),
                    Cell::Count(g.closed),
                    Cell::Percent(g.compliance[total].percent()),
                    Cell::Percent(g.compliance[2].percent()),
                    minutes(g.average[Step::Total.index()]),
                    Cell::Score(g.ratings.average()),
                ]
            })
            .collect(),
    }
}

fn counts(chrome: &Chrome, id: &'static str, heading: &str, tallies: &[Tally]) -> Table {
    let none = chrome.t("reports-none");
    Table {
        id,
        title: chrome.t(heading),
        columns: vec![chrome.t("reports-col-group"), chrome.t("reports-col-open")],
        rows: tallies
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(name(chrome.lang, t, &none)),
                    Cell::Count(t.count),
                ]
            })
            .collect(),
    }
}

fn compliance_row(label: String, c: Compliance) -> Vec<Cell> {
    vec![
        Cell::Text(label),
        Cell::Count(c.met),
        Cell::Count(c.measured),
        Cell::Percent(c.percent()),
    ]
}

/// Every table of the dashboard, in the page's order.
pub(crate) fn report_tables(chrome: &Chrome, d: &Dashboard) -> Vec<Table> {
    let total = d.steps.iter().find(|s| s.step == Step::Total);
    let summary = Table {
        id: "summary",
        title: chrome.t("reports-summary"),
        columns: vec![
            chrome.t("reports-col-figure"),
            chrome.t("reports-col-value"),
        ],
        rows: vec![
            vec![
                Cell::Text(chrome.t("reports-received")),
                Cell::Count(d.received),
            ],
            vec![
                Cell::Text(chrome.t("reports-closed")),
                Cell::Count(d.all.closed),
            ],
            vec![
                Cell::Text(chrome.t("reports-total-met")),
                Cell::Percent(d.all.compliance[3].percent()),
            ],
            vec![
                Cell::Text(chrome.t("reports-average-total")),
                minutes(total.and_then(|s| s.average_secs)),
            ],
            vec![
                Cell::Text(chrome.t("reports-p90-total")),
                Cell::Minutes(total.and_then(|s| s.p90_minutes).map(|m| m as f64)),
            ],
            vec![
                Cell::Text(chrome.t("reports-open-now")),
                Cell::Count(d.open.total),
            ],
            vec![
                Cell::Text(chrome.t("reports-rating-average")),
                Cell::Score(d.all.ratings.average()),
            ],
        ],
    };
    let trend = Table {
        id: "trend",
        title: chrome.t("reports-trend"),
        columns: vec![
            chrome.t("reports-col-period"),
            chrome.t("reports-col-received"),
            chrome.t("reports-col-closed"),
            chrome.t("reports-col-total-met"),
        ],
        rows: d
            .trend
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(period_label(chrome, d.by, p.start)),
                    Cell::Count(p.received),
                    Cell::Count(p.closed),
                    Cell::Percent(p.total.percent()),
                ]
            })
            .collect(),
    };
    let targets = Table {
        id: "targets",
        title: chrome.t("reports-targets"),
        columns: vec![
            chrome.t("reports-col-target"),
            chrome.t("reports-col-met"),
            chrome.t("reports-col-measured"),
            chrome.t("reports-col-share"),
        ],
        rows: TargetKind::ALL
            .into_iter()
            .zip(d.all.compliance)
            .map(|(kind, c)| compliance_row(target_name(chrome, kind), c))
            .collect(),
    };
    let steps = Table {
        id: "steps",
        title: chrome.t("reports-steps"),
        columns: vec![
            chrome.t("reports-col-step"),
            chrome.t("reports-col-average"),
            chrome.t("reports-col-p90"),
        ],
        rows: d
            .steps
            .iter()
            .map(|s| {
                vec![
                    Cell::Text(step_name(chrome, s.step)),
                    minutes(s.average_secs),
                    Cell::Minutes(s.p90_minutes.map(|m| m as f64)),
                ]
            })
            .collect(),
    };
    let ratings = Table {
        id: "ratings",
        title: chrome.t("reports-ratings"),
        columns: vec![chrome.t("reports-col-score"), chrome.t("reports-col-count")],
        rows: (1..=5)
            .zip(d.all.ratings.counts)
            .map(|(score, n)| vec![Cell::Text(format!("{score} ★")), Cell::Count(n)])
            .collect(),
    };
    let by_state = d
        .open
        .by_state
        .iter()
        .map(|(s, n)| Tally {
            key: s.as_str().to_owned(),
            name_es: crate::i18n::translate(Lang::Es, &format!("state-{}", s.as_str())),
            name_en: crate::i18n::translate(Lang::En, &format!("state-{}", s.as_str())),
            count: *n,
        })
        .collect::<Vec<_>>();
    vec![
        summary,
        trend,
        targets,
        steps,
        groups(chrome, "by-category", "reports-by-category", &d.by_category),
        groups(chrome, "by-priority", "reports-by-priority", &d.by_priority),
        groups(
            chrome,
            "by-technician",
            "reports-by-technician",
            &d.by_technician,
        ),
        groups(chrome, "by-mode", "reports-by-mode", &d.by_mode),
        groups(
            chrome,
            "by-department",
            "reports-by-department",
            &d.by_department,
        ),
        counts(chrome, "open-state", "reports-open-by-state", &by_state),
        counts(
            chrome,
            "open-category",
            "reports-open-by-category",
            &d.open.by_category,
        ),
        counts(
            chrome,
            "open-technician",
            "reports-open-by-technician",
            &d.open.by_technician,
        ),
        counts(
            chrome,
            "open-department",
            "reports-open-by-department",
            &d.open.by_department,
        ),
        counts(chrome, "open-mode", "reports-open-by-mode", &d.open.by_mode),
        ratings,
    ]
}

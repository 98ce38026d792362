//! The screen shown instead of the session while the watched file
//! (`exhale run FILE --watch`) cannot be run: its errors, each with the
//! file, line, column, the line itself and a caret, wrapped to the window
//! and scrollable; or a note that the file was removed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::super::theme::Theme;
use super::super::watch::{FileProblem, ProblemKind};

/// Draw the problem screen.
pub fn draw(p: &FileProblem, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let area = Rect::new(
        area.x + 1,
        area.y,
        area.width.saturating_sub(2),
        area.height,
    );
    let [head, _, title, what, _, body, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(format!("exhale · watching {}", p.path)).style(theme.dim()),
        head,
    );
    let (heading, next) = match &p.kind {
        ProblemKind::Invalid { errors, .. } => (
            format!(
                "This session file has {}",
                crate::text::count(*errors, "error")
            ),
            "Fix it and save: the session starts again from the top.",
        ),
        ProblemKind::Removed => (
            "The file was removed; waiting for it to come back.".to_owned(),
            "When it is saved again, the session starts from the top.",
        ),
    };
    frame.render_widget(
        Paragraph::new(heading).style(theme.error().patch(theme.strong())),
        title,
    );
    frame.render_widget(Paragraph::new(next).style(theme.dim()), what);

    let report = fit(p.report(), usize::from(body.width));
    let start = p.scroll.min(report.len());
    let lines: Vec<Line<'_>> = report[start..]
        .iter()
        .map(|l| Line::styled(l.as_str(), line_style(l, theme)))
        .collect();
    // Whether more is below than fits (wrapped lines count as several).
    let width = usize::from(body.width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let more_below = rows > usize::from(body.height);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);

    let hint_text = if start > 0 || more_below {
        format!(
            "↑↓ scroll (line {} of {}) · r read again · q quit",
            start + 1,
            report.len()
        )
    } else {
        "r read again · q quit".to_owned()
    };
    frame.render_widget(Paragraph::new(hint_text).style(theme.dim()), hint);
}

/// Colour the parts of a rendered diagnostic: the `error:` and `warning:`
/// lines and the caret under the value.
fn line_style(line: &str, theme: Theme) -> Style {
    if line.starts_with("error") {
        theme.error().patch(theme.strong())
    } else if line.starts_with("warning") {
        theme.warn().patch(theme.strong())
    } else if line.split_once(" | ").is_some_and(|(gutter, rest)| {
        gutter.trim().is_empty() && rest.trim_start().starts_with('^')
    }) {
        theme.error()
    } else {
        Style::new()
    }
}

/// The report with each quoted source line that is wider than `width`
/// cut down to a window around its caret (`…` where text was cut), so the
/// caret stays under the value it points at instead of being wrapped away
/// from it. Other lines are left to wrap. One line in, one line out.
fn fit(report: &[String], width: usize) -> Vec<String> {
    let mut out: Vec<String> = report.to_vec();
    for i in 0..report.len().saturating_sub(1) {
        let (Some((gutter, text)), Some((cgutter, carets))) =
            (report[i].split_once(" | "), report[i + 1].split_once(" | "))
        else {
            continue;
        };
        let is_code =
            !gutter.trim().is_empty() && gutter.trim().bytes().all(|b| b.is_ascii_digit());
        let is_caret = cgutter.trim().is_empty() && carets.trim_start().starts_with('^');
        let text: Vec<char> = text.chars().collect();
        let avail = width.saturating_sub(gutter.chars().count() + 3);
        if !is_code || !is_caret || text.len() <= avail || avail < 12 {
            continue;
        }
        let col = carets.len() - carets.trim_start().len();
        let len = carets.trim().len().min(avail - 10);
        // Keep a little of what follows the value in view.
        let from = (col + len + 8).min(text.len()).saturating_sub(avail);
        let to = (from + avail).min(text.len());
        let mut shown: Vec<char> = text[from..to].to_vec();
        if from > 0 {
            shown[0] = '…';
        }
        if to < text.len() {
            if let Some(last) = shown.last_mut() {
                *last = '…';
            }
        }
        out[i] = format!("{gutter} | {}", shown.iter().collect::<String>());
        out[i + 1] = format!(
            "{cgutter} | {}{}",
            " ".repeat(col - from),
            "^".repeat(len.min(to.saturating_sub(col)).max(1))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_owned).collect()
    }

    #[test]
    fn a_long_source_line_is_cut_around_its_caret() {
        let code =
            "9 | phases = [{ in = 4, cue = \"Breathe in slowly, belly first\" }, { out = 0 }]";
        let caret = format!("  | {}^", " ".repeat(70));
        let report = lines(&format!(" --> a.toml:9:71\n  |\n{code}\n{caret}\n"));
        let out = fit(&report, 40);
        assert_eq!(out[2], "9 | …lowly, belly first\" }, { out = 0 }]");
        assert_eq!(out[3], format!("  | {}^", " ".repeat(32)));
        // The caret is under the 0 it points at.
        let caret = out[3].find('^').expect("caret");
        assert_eq!(out[2].chars().nth(caret), Some('0'));
        assert!(out.iter().all(|l| l.chars().count() <= 40));
    }

    #[test]
    fn lines_that_fit_are_unchanged() {
        let report = lines("6 | cycels = 5\n  | ^^^^^^\n");
        assert_eq!(fit(&report, 40), report);
    }
}

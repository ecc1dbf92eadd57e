//! Which rows of a long list are rendered: the virtual-scrolling arithmetic behind
//! the tool-name lists (DOM-free, so it is tested natively).

/// Row height in pixels; must match `.names li` in the CSS.
pub const ROW_PX: usize = 26;
/// Rows shown in the scrolling viewport.
pub const VIEW_ROWS: usize = 16;
/// Extra rows rendered above and below the viewport.
pub const OVERSCAN: usize = 8;
/// Lists at most this long are rendered whole.
pub const PLAIN_MAX: usize = 200;
/// Lists longer than this get a search box.
pub const SEARCH_MIN: usize = 12;

/// The visible slice `[start, end)` of `len` rows when scrolled to `scroll_px`.
pub fn window(len: usize, scroll_px: usize) -> (usize, usize) {
    let first = scroll_px / ROW_PX;
    let start = first.saturating_sub(OVERSCAN).min(len);
    let end = (first + VIEW_ROWS + OVERSCAN).min(len);
    (start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_clamped() {
        assert_eq!(window(0, 0), (0, 0));
        assert_eq!(window(10, 0), (0, 10));
        assert_eq!(window(100_000, 0), (0, VIEW_ROWS + OVERSCAN));
        let far = window(100_000, 50_000 * ROW_PX);
        assert_eq!(far, (50_000 - OVERSCAN, 50_000 + VIEW_ROWS + OVERSCAN));
        assert_eq!(window(100, 1_000_000), (100, 100));
    }
}

//! Which rows of a long list are rendered: the virtual-scrolling arithmetic behind
//! the tool-name lists, and the paging of lists whose rows vary in height
//! (DOM-free, so it is tested natively).

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

/// Rows per page of a list whose rows vary in height (changed tools with their
/// details, table rows): such lists are paged instead of virtualised.
pub const PAGE_ROWS: usize = 50;

/// The pages of `len` rows, `size` a page: how many there are (at least one).
pub fn pages(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// Rows `[start, end)` of page `page` (0-based, clamped to the last page) of
/// `len` rows, `size` a page.
pub fn page(len: usize, page: usize, size: usize) -> (usize, usize) {
    let size = size.max(1);
    let page = page.min(pages(len, size) - 1);
    let start = (page * size).min(len);
    (start, (start + size).min(len))
}

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

    #[test]
    fn pages_are_clamped() {
        assert_eq!(pages(0, 50), 1);
        assert_eq!(pages(50, 50), 1);
        assert_eq!(pages(51, 50), 2);
        assert_eq!(pages(20_000, 50), 400);
        assert_eq!(page(0, 0, 50), (0, 0));
        assert_eq!(page(120, 0, 50), (0, 50));
        assert_eq!(page(120, 2, 50), (100, 120));
        assert_eq!(page(120, 99, 50), (100, 120));
        assert_eq!(page(10, 0, 0), (0, 1));
    }
}

package dev.proflab.stats;

import dev.proflab.text.Escape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lays out a text table for a fixed-width font, the way benchstat's {@code texttab} does: cells may
 * span columns, have a left margin (where the {@code │} and {@code ±} separators live) and an
 * alignment; "shrink" columns keep their minimum width so spanning headers widen the others.
 */
final class TextTable {

    enum Align { LEFT, CENTER, RIGHT }

    private static final class TextCell {
        final int row;
        final int col;
        final int span;
        final String value;
        String leftMargin;
        Align align = Align.LEFT;

        TextCell(int row, int col, int span, String value, String leftMargin) {
            this.row = row;
            this.col = col;
            this.span = span;
            this.value = value;
            this.leftMargin = leftMargin;
        }
    }

    private final List<TextCell> cells = new ArrayList<>();
    private final List<Boolean> shrink = new ArrayList<>();
    private int cols;
    private int curRow;
    private int curCol;

    /** Starts a new row. */
    TextTable row() {
        if (!cells.isEmpty()) {
            curRow++;
        }
        curCol = 0;
        return this;
    }

    /** Skips to column col of the current row. */
    TextTable col(int col) {
        if (col < curCol) {
            throw new IllegalStateException("cannot move from column " + curCol + " to earlier column " + col);
        }
        curCol = col;
        return this;
    }

    int curCol() {
        return curCol;
    }

    TextTable cell(String value) {
        return span(1, value, null, null);
    }

    TextTable cell(String value, Align align) {
        return span(1, value, align, null);
    }

    TextTable cell(String value, Align align, String leftMargin) {
        return span(1, value, align, leftMargin);
    }

    /**
     * Adds a cell spanning cols columns; a null margin means the default (one space, none first). The
     * value's control characters are written out ({@link Escape#terminal}): names come from JMH files.
     */
    TextTable span(int span, String value, Align align, String leftMargin) {
        value = Escape.terminal(value);
        String margin = curCol == 0 || value.isEmpty() ? "" : " ";
        TextCell c = new TextCell(curRow, curCol, span, value, leftMargin != null ? leftMargin : margin);
        if (align != null) {
            c.align = align;
        }
        cells.add(c);
        curCol += span;
        cols = Math.max(cols, curCol);
        return this;
    }

    void setShrink(int col, boolean value) {
        while (shrink.size() < col + 1) {
            shrink.add(false);
        }
        shrink.set(col, value);
    }

    private boolean shrink(int col) {
        return col < shrink.size() && shrink.get(col);
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Appends the laid out table to sb. */
    void format(StringBuilder sb) {
        int[] lmargin = new int[cols];
        for (TextCell c : cells) {
            lmargin[c.col] = Math.max(lmargin[c.col], width(c.leftMargin));
        }
        int[] ws = new int[cols];
        List<TextCell> bySpan = new ArrayList<>(cells);
        bySpan.sort(Comparator.comparingInt(c -> c.span));
        List<Integer> spanCols = new ArrayList<>();
        for (TextCell c : bySpan) {
            int w = width(c.value) + lmargin[c.col];
            if (c.span == 1) {
                ws[c.col] = Math.max(ws[c.col], w);
                continue;
            }
            int tw = 0;
            for (int col = c.col; col < c.col + c.span; col++) {
                tw += ws[col];
            }
            if (tw >= w) {
                continue;
            }
            // Grow the non-shrink columns towards an even share, widest first.
            spanCols.clear();
            for (int col = c.col; col < c.col + c.span; col++) {
                if (shrink(col)) {
                    w -= ws[col];
                } else {
                    spanCols.add(col);
                }
            }
            spanCols.sort((a, b) -> Integer.compare(ws[b], ws[a]));
            int span = spanCols.size();
            for (int col : spanCols) {
                int avg = (w + span - 1) / span;
                ws[col] = Math.max(ws[col], avg);
                w -= ws[col];
                span--;
            }
        }
        int[] offs = new int[cols + 1];
        int off = 0;
        for (int i = 0; i < cols; i++) {
            offs[i] = off;
            off += ws[i];
        }
        offs[cols] = off;

        List<TextCell> ordered = new ArrayList<>(cells);
        ordered.sort(Comparator.<TextCell>comparingInt(c -> c.row).thenComparingInt(c -> c.col));
        int row = 0;
        off = 0;
        for (TextCell c : ordered) {
            if (c.value.isBlank() && c.leftMargin.isBlank()) {
                continue;
            }
            while (c.row > row) {
                sb.append('\n');
                row++;
                off = 0;
            }
            int spaces = Math.max(0, offs[c.col] - off);
            sb.repeat(' ', spaces);
            sb.repeat(' ', Math.max(0, lmargin[c.col] - width(c.leftMargin))).append(c.leftMargin);
            off += spaces + lmargin[c.col];
            int tw = offs[c.col + c.span] - offs[c.col] - lmargin[c.col];
            String s = pad(c.value, c.align, tw);
            sb.append(s);
            off += width(s);
        }
        if (!cells.isEmpty()) {
            sb.append('\n');
        }
    }

    private static String pad(String s, Align align, int w) {
        int fill = Math.max(0, w - width(s));
        return switch (align) {
            case LEFT -> s;
            case CENTER -> " ".repeat(fill / 2) + s;
            case RIGHT -> " ".repeat(fill) + s;
        };
    }
}

package dev.proflab.text;

import java.util.List;

/** Rows of cells as left-aligned columns, for the short lists of the text reports (e.g. a gate's failures). */
public final class Columns {

    private Columns() {
    }

    /**
     * Appends each row as one line: {@code indent}, then its cells two spaces apart, each but the last padded to
     * its column's widest cell (counted in code points); rows have the same number of cells.
     */
    public static void append(StringBuilder sb, String indent, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        for (String[] r : rows) {
            sb.append(indent);
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].codePointCount(0, r[i].length()) + 2));
                }
            }
            sb.append('\n');
        }
    }
}

package dev.proflab.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a budget file ({@code stat --budget}, {@code diff --budget}): one rule a line, {@code REGEX LIMIT},
 * the regular expression everything before the last word (so it may hold spaces); lines that start with
 * {@code #} and blank lines are skipped, and a byte order mark is ignored. What a LIMIT means is the command's.
 */
final class BudgetFile {

    /** Budget files are short lists of rules; more than this is not one. */
    static final long MAX_FILE_BYTES = 1 << 20;

    /**
     * A rule's line.
     *
     * @param where {@code file:line}, for messages
     * @param regex the expression as written
     * @param limit the last word
     */
    record Line(String where, String regex, String limit) {
    }

    private BudgetFile() {
    }

    /**
     * The rules of {@code file}, in order.
     *
     * @param limitHint what a LIMIT is, for the message about a line without one: "a percentage such as 5% or 'none'"
     * @throws UsageException when the file cannot be read, is too large or not UTF-8, or a line has no LIMIT
     */
    static List<Line> read(Path file, String limitHint) {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UsageException("--budget: " + file + " is larger than " + MAX_FILE_BYTES
                        + " bytes: a budget file is a list of 'REGEX LIMIT' lines");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("--budget: " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new UsageException("--budget: " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException("--budget: cannot read " + file + ": " + e.getMessage());
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            int space = lastSpace(line);
            if (space < 0) {
                throw new UsageException(where + ": '" + line + "' is not 'REGEX LIMIT' (LIMIT " + limitHint + ")");
            }
            out.add(new Line(where, line.substring(0, space).strip(), line.substring(space).strip()));
        }
        return out;
    }

    /** The last run of white space in a stripped line, as the index of its first character; -1 when none. */
    private static int lastSpace(String line) {
        int i = line.length() - 1;
        while (i >= 0 && !Character.isWhitespace(line.charAt(i))) {
            i--;
        }
        while (i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
            i--;
        }
        return i;
    }
}

package dev.proflab.profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The chunks of a JFR file, checked: headers, metadata and the constant-pool chain, so that a truncated
 * or corrupted file fails here with a clear message instead of deep in a parser. Events are then visited
 * record by record ({@link #walk}).
 *
 * <p>The file is read by position (64 kB at a time through each {@link JfrCursor}), not mapped: a mapped
 * chunk stays in the process's resident memory once read, until the mapping is collected, so a report on a
 * recording of hundreds of megabytes held all of them. The file stays open until {@link #close}.
 */
final class JfrFile implements java.io.Closeable {

    static final int HEADER_SIZE = 68;
    static final int MAGIC = 0x464c5200; // "FLR\0"

    /** One chunk: a self-contained part of a recording with its own metadata and constant pools. */
    static final class Chunk {
        final int index;
        final long offset;
        /** Its bytes, read from the file by position. */
        final JfrCursor.Bytes buf;
        final int size;
        final int cpOffset;
        final int metaOffset;
        final long startNanos;
        final long durationNanos;
        final long startTicks;
        final long ticksPerSec;
        final JfrMetadata meta;
        private final double nanosPerTick;

        /** Where the chunk's constant pools start, newest first (the chain from the header's offset). */
        List<Integer> poolPositions() {
            List<Integer> positions = new ArrayList<>();
            long cp = cpOffset;
            JfrCursor c = new JfrCursor(buf, 0);
            while (true) {
                positions.add((int) cp);
                c.seek((int) cp);
                c.varint();   // size
                c.varint();   // type
                c.varlong();  // start
                c.varlong();  // duration
                long delta = c.varlong();
                if (delta == 0) {
                    return positions;
                }
                cp += delta;
            }
        }
        /**
         * Records per type id, counted when the file was opened: type id -> slot in {@link #counts} (a
         * record may name any id: an array indexed by ids would let a tiny chunk claim megabytes).
         */
        final LongIntMap countSlots = new LongIntMap(64);
        long[] counts = new long[64];
        /** Positions of the records worth decoding in full: settings and JVM information. */
        final List<Integer> infoRecords = new ArrayList<>();

        long count(long typeId) {
            int slot = countSlots.get(typeId);
            return slot < 0 ? 0 : counts[slot];
        }

        long count(String typeName) {
            JfrMetadata.Type t = meta.type(typeName);
            return t == null ? 0 : count(t.id);
        }

        /** A chunk of {@code bytes}, whose first {@value #HEADER_SIZE} bytes are {@code header}. */
        Chunk(int index, long offset, JfrCursor.Bytes bytes, ByteBuffer header) {
            this.index = index;
            this.offset = offset;
            this.buf = bytes;
            this.size = bytes.size();
            this.cpOffset = (int) header.getLong(16);
            this.metaOffset = (int) header.getLong(24);
            this.startNanos = header.getLong(32);
            this.durationNanos = header.getLong(40);
            this.startTicks = header.getLong(48);
            this.ticksPerSec = header.getLong(56);
            this.nanosPerTick = ticksPerSec > 0 ? 1e9 / ticksPerSec : 1;
            this.meta = JfrMetadata.read(new JfrCursor(buf, metaOffset));
        }

        /** Nanoseconds since the epoch of a tick count of this chunk. */
        long epochNanos(long ticks) {
            return startNanos + (long) ((ticks - startTicks) * nanosPerTick);
        }

        long ticksToNanos(long ticks) {
            return (long) (ticks * nanosPerTick);
        }
    }

    /** Sees each event record of a chunk: its type id; the cursor stands after the type. */
    interface Visitor {
        void event(Chunk chunk, int type, JfrCursor c);
    }

    final Path path;
    final List<Chunk> chunks;
    final long fileSize;
    private final FileChannel channel;

    private JfrFile(Path path, List<Chunk> chunks, long fileSize, FileChannel channel) {
        this.path = path;
        this.chunks = chunks;
        this.fileSize = fileSize;
        this.channel = channel;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // read only: nothing was lost
        }
    }

    /** The bytes of a chunk of the file, read by position. */
    private record FileBytes(Path path, FileChannel channel, long offset, int size) implements JfrCursor.Bytes {

        @Override
        public void get(int pos, byte[] dst, int off, int len) {
            ByteBuffer b = ByteBuffer.wrap(dst, off, len);
            long at = offset + pos;
            try {
                while (b.hasRemaining()) {
                    int n = channel.read(b, at + (b.position() - off));
                    if (n < 0) {
                        throw new ProfileException(path, "the file got shorter while it was read (is it being written?)");
                    }
                }
            } catch (IOException e) {
                throw new ProfileException(path, "cannot read: " + describe(e), e);
            }
        }
    }

    /** Epoch nanoseconds of the start of the recording (its first chunk). */
    long startNanos() {
        long s = Long.MAX_VALUE;
        for (Chunk c : chunks) {
            s = Math.min(s, c.startNanos);
        }
        return s;
    }

    long endNanos() {
        long e = Long.MIN_VALUE;
        for (Chunk c : chunks) {
            e = Math.max(e, c.startNanos + c.durationNanos);
        }
        return e;
    }

    /** Whether any chunk declares a type of this name. */
    boolean hasType(String name) {
        for (Chunk c : chunks) {
            if (c.meta.type(name) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens the chunks of a JFR file; the file keeps {@code ch} (closed by {@link #close}, or here when the file
     * is not a recording proflab reads).
     */
    static JfrFile open(Path path, FileChannel ch) throws IOException {
        boolean opened = false;
        try {
            JfrFile f = openOf(path, ch);
            opened = true;
            return f;
        } finally {
            if (!opened) {
                ch.close();
            }
        }
    }

    private static JfrFile openOf(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        List<Chunk> chunks = new ArrayList<>();
        long pos = 0;
        ByteBuffer head = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
        while (pos < size) {
            int n = chunks.size() + 1;
            if (n > ProfileReader.MAX_JFR_CHUNKS) {
                throw new ProfileException(path, "more than " + ProfileReader.MAX_JFR_CHUNKS
                        + " chunks: not a recording proflab reads");
            }
            if (size - pos < HEADER_SIZE) {
                throw new ProfileException(path, "truncated JFR recording: chunk " + n + " at byte " + pos
                        + " has only " + (size - pos) + " of its " + HEADER_SIZE + " header bytes");
            }
            head.clear();
            while (head.hasRemaining() && ch.read(head, pos + head.position()) > 0) {
                // read the whole header
            }
            if (head.getInt(0) != MAGIC) {
                throw new ProfileException(path, chunks.isEmpty()
                        ? "not a JFR recording" : "corrupted JFR recording: no chunk header at byte " + pos);
            }
            int major = head.getShort(4);
            int minor = head.getShort(6);
            if (major != 2) {
                throw new ProfileException(path, "unsupported JFR version " + major + "." + minor
                        + " (JDK 11 and later write 2.x)");
            }
            long chunkSize = head.getLong(8);
            long cp = head.getLong(16);
            long meta = head.getLong(24);
            if (chunkSize == 0 || cp == 0 || meta == 0) {
                throw new ProfileException(path, "incomplete JFR recording: chunk " + n
                        + " was not finished (is the recording still running? dump it with jcmd PID JFR.dump)");
            }
            if (chunkSize < HEADER_SIZE || chunkSize > size - pos) {
                throw new ProfileException(path, "truncated JFR recording: chunk " + n + " at byte " + pos
                        + " needs " + chunkSize + " bytes, the file has " + (size - pos) + " left");
            }
            if (chunkSize > Integer.MAX_VALUE) {
                throw new ProfileException(path, "JFR chunk " + n + " is larger than 2 GB");
            }
            if (cp < HEADER_SIZE || cp >= chunkSize || meta < HEADER_SIZE || meta >= chunkSize) {
                throw new ProfileException(path, "corrupted JFR recording: chunk " + n
                        + " points outside itself for its metadata or constant pools");
            }
            Chunk chunk;
            try {
                chunk = new Chunk(chunks.size(), pos, new FileBytes(path, ch, pos, (int) chunkSize), head);
                checkRecords(chunk);
            } catch (ProfileException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                throw new ProfileException(path, "corrupted JFR recording: chunk " + n + ": " + describe(e), e);
            }
            chunks.add(chunk);
            pos += chunkSize;
        }
        if (chunks.isEmpty()) {
            throw new ProfileException(path, "empty file");
        }
        return new JfrFile(path, List.copyOf(chunks), size, ch);
    }

    /** Every record fits in the chunk; the constant-pool chain ends and visits only pool records. */
    private static void checkRecords(Chunk chunk) {
        JfrCursor c = new JfrCursor(chunk.buf, HEADER_SIZE);
        Set<Integer> pools = new HashSet<>();
        JfrMetadata.Type setting = chunk.meta.type("jdk.ActiveSetting");
        JfrMetadata.Type jvm = chunk.meta.type("jdk.JVMInformation");
        int settingId = setting == null ? -1 : (int) setting.id;
        int jvmId = jvm == null ? -1 : (int) jvm.id;
        long[] counts = chunk.counts;
        LongIntMap slots = chunk.countSlots;
        int lastType = -1;
        int lastSlot = -1;
        int pos = HEADER_SIZE;
        while (pos < chunk.size) {
            c.seek(pos);
            int size = c.varint();
            if (size <= 0 || size > chunk.size - pos) {
                throw new IllegalStateException("bad record size " + size + " at byte " + (chunk.offset + pos));
            }
            int type = c.varint();
            if (type == 1) {
                pools.add(pos);
            } else if (type == settingId || type == jvmId) {
                chunk.infoRecords.add(pos);
            }
            if (type != lastType) {
                int slot = slots.get(type);
                if (slot < 0) {
                    slot = slots.size();
                    slots.put(type, slot);
                    if (slot == counts.length) {
                        counts = java.util.Arrays.copyOf(counts, slot * 2);
                    }
                }
                lastType = type;
                lastSlot = slot;
            }
            counts[lastSlot]++;
            pos += size;
        }
        chunk.counts = counts;
        Set<Integer> seen = new HashSet<>();
        long cp = chunk.cpOffset;
        while (true) {
            if (!pools.contains((int) cp) || !seen.add((int) cp)) {
                throw new IllegalStateException("broken constant pool chain at byte " + (chunk.offset + cp));
            }
            c.seek((int) cp);
            c.varint(); // size
            c.varint(); // type
            c.varlong(); // start
            c.varlong(); // duration
            long delta = c.varlong();
            if (delta == 0) {
                break;
            }
            cp += delta;
        }
    }

    /** Visits every event record (not metadata or constant pools) of a chunk, in file order. */
    static void walk(Chunk chunk, Visitor v) {
        JfrCursor c = new JfrCursor(chunk.buf, HEADER_SIZE);
        int pos = HEADER_SIZE;
        int end = chunk.size;
        while (pos < end) {
            c.seek(pos);
            int size = c.varint();
            int type = c.varint();
            if (type > 1) {
                v.event(chunk, type, c);
            }
            pos += size;
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}

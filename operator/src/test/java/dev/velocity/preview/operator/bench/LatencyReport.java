package dev.velocity.preview.operator.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Exact percentiles of each stage of live delivery, from a {@link DeliveryRecorder} and the
 * writer's and clients' timestamps, all in this JVM's {@link System#nanoTime()} ({@code created_at}
 * and a child client's arrivals are converted through the epoch offset).
 */
final class LatencyReport {
  private final DeliveryRecorder rec;
  private final long[] issued;
  private final long[] acked;
  private final long[] committedMicros;
  private final long[][] arrivals;
  private final long offset;
  private final int from;
  private final int to;
  private final int streams;

  LatencyReport(
      DeliveryRecorder rec,
      long[] issued,
      long[] acked,
      long[] committedMicros,
      long[][] arrivals,
      long offset,
      int from,
      int to,
      int streams) {
    this.rec = rec;
    this.issued = issued;
    this.acked = acked;
    this.committedMicros = committedMicros;
    this.arrivals = arrivals;
    this.offset = offset;
    this.from = from;
    this.to = to;
    this.streams = streams;
  }

  void print(PrintStream out) {
    int n = to - from + 1;
    long[] issueToCreated = new long[n];
    long[] createdToAck = new long[n];
    long[] createdToCommit = new long[n];
    long[] commitToAck = new long[n];
    long[] commitToNotified = new long[n];
    long[] ackToNotified = new long[n];
    long[] createdToNotified = new long[n];
    long[] notifiedToRead = new long[n];
    long[] readTime = new long[n];
    long[] readToFirst = new long[n];
    long[] readToMedian = new long[n];
    long[] readToLast = new long[n];
    long[] firstToLast = new long[n];
    long[] createdToSent = new long[n * streams];
    long[] commitToSent = new long[n * streams];
    long[] commitToReceived = new long[n * streams];
    long[] ackToSent = new long[n * streams];
    long[] ackToReceived = new long[n * streams];
    long[] createdToReceived = new long[n * streams];
    int k = 0;
    int missing = 0;
    for (int r = from; r <= to; r++) {
      int i = r - from;
      long created = rec.createdMicros[r] * 1000 - offset;
      long commit = committedMicros[r] * 1000 - offset;
      createdToCommit[i] = commit - created;
      commitToAck[i] = acked[r] - commit;
      commitToNotified[i] = rec.notified[r] - commit;
      long[] sent = rec.sentSorted(r);
      issueToCreated[i] = created - issued[r];
      createdToAck[i] = acked[r] - created;
      ackToNotified[i] = rec.notified[r] - acked[r];
      createdToNotified[i] = rec.notified[r] - created;
      notifiedToRead[i] = rec.readStart[r] - rec.notified[r];
      readTime[i] = rec.readEnd[r] - rec.readStart[r];
      readToFirst[i] = sent[0] - rec.readEnd[r];
      readToMedian[i] = sent[sent.length / 2] - rec.readEnd[r];
      readToLast[i] = sent[sent.length - 1] - rec.readEnd[r];
      firstToLast[i] = sent[sent.length - 1] - sent[0];
      missing += streams - sent.length;
      for (int s = 0; s < streams; s++) {
        long at = s < sent.length ? sent[s] : Long.MAX_VALUE;
        createdToSent[k] = at - created;
        commitToSent[k] = at - commit;
        ackToSent[k] = at - acked[r];
        long arrived = arrivals[r][s];
        ackToReceived[k] = arrived == 0 ? Long.MAX_VALUE : arrived - acked[r];
        createdToReceived[k] = arrived == 0 ? Long.MAX_VALUE : arrived - created;
        commitToReceived[k] = arrived == 0 ? Long.MAX_VALUE : arrived - commit;
        k++;
      }
    }
    out.printf("%d revisions x %d streams; %d sends not recorded%n", n, streams, missing);
    out.println("per delivery (exact):");
    line(out, "  COMMIT (pg_xact_commit_timestamp) -> flushed", commitToSent);
    line(out, "  COMMIT -> received by the client", commitToReceived);
    line(out, "  created_at -> flushed to the stream (gateway view)", createdToSent);
    line(out, "  commit ack -> flushed to the stream", ackToSent);
    line(out, "  commit ack -> received by the client", ackToReceived);
    line(out, "  created_at -> received by the client", createdToReceived);
    out.println("per revision (stages, in order):");
    line(out, "  RPC issued -> created_at (tx start)", issueToCreated);
    line(out, "  created_at -> commit ack (the RPC itself)", createdToAck);
    line(out, "  created_at -> COMMIT (rest of the transaction)", createdToCommit);
    line(out, "  COMMIT -> commit ack (reply to the writer)", commitToAck);
    line(out, "  COMMIT -> NOTIFY heard by the LISTEN thread", commitToNotified);
    line(out, "  created_at -> NOTIFY heard by the LISTEN thread", createdToNotified);
    line(out, "  commit ack -> NOTIFY heard (negative: heard first)", ackToNotified);
    line(out, "  NOTIFY heard -> change read starts (hand-off)", notifiedToRead);
    line(out, "  change read (project_changes_since + encode)", readTime);
    line(out, "  read done -> first stream flushed", readToFirst);
    line(out, "  read done -> median stream flushed", readToMedian);
    line(out, "  read done -> last stream flushed", readToLast);
    line(out, "  first -> last stream flushed (fan-out spread)", firstToLast);
  }

  private static void line(PrintStream out, String what, long[] nanos) {
    long[] v = Arrays.copyOf(nanos, nanos.length);
    Arrays.sort(v);
    out.printf(
        "%-56s p50 %7.3f ms  p90 %7.3f  p99 %7.3f  max %7.3f%n",
        what, q(v, 0.5), q(v, 0.9), q(v, 0.99), q(v, 1.0));
  }

  private static double q(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    long x = sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    return x == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : x / 1e6;
  }
}

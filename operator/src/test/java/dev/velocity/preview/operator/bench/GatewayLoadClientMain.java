package dev.velocity.preview.operator.bench;

import dev.velocity.preview.operator.realtime.SseLoadClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A load client in its own JVM (so the gateway's heap is measured alone): opens {@code n} streams,
 * prints {@code OPEN n} once every head arrived, {@code RECEIVED r} once every stream got revision
 * {@code r}, and keeps the streams until its stdin closes.
 *
 * <p>Args: {@code port path tokensFile n expectRevision [arrivalsFile]}; with an arrivals file it
 * then writes one line {@code revision epochMicros} per stream and revision and prints {@code
 * ARRIVALS}.
 */
public final class GatewayLoadClientMain {
  private GatewayLoadClientMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String path = args[1];
    List<String> tokens = Files.readAllLines(Path.of(args[2]));
    int n = Integer.parseInt(args[3]);
    long expect = Long.parseLong(args[4]);
    Path arrivalsFile = args.length > 5 ? Path.of(args[5]) : null;
    int capacity = arrivalsFile == null ? 16 : (int) expect;
    try (SseLoadClient client = new SseLoadClient(1)) {
      List<SseLoadClient.Stream> streams = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        streams.add(client.open(port, path, tokens.get(i % tokens.size()), 0, capacity));
        if (i % 500 == 499) {
          Thread.sleep(50); // stay under the listen backlog while connecting
        }
      }
      for (SseLoadClient.Stream s : streams) {
        while (s.status() == 0) {
          Thread.sleep(5);
        }
        if (s.status() != 200) {
          System.out.println("FAILED status " + s.status());
          return;
        }
      }
      System.out.println("OPEN " + n);
      for (SseLoadClient.Stream s : streams) {
        if (!s.awaitRevision(expect, Duration.ofMinutes(5))) {
          System.out.println("FAILED at revision " + s.lastId());
          return;
        }
      }
      long outOfOrder = streams.stream().mapToLong(SseLoadClient.Stream::outOfOrder).sum();
      System.out.println("RECEIVED " + expect + " outOfOrder " + outOfOrder);
      System.out.flush();
      if (arrivalsFile != null) {
        writeArrivals(streams, expect, arrivalsFile);
        System.out.println("ARRIVALS");
        System.out.flush();
      }
      while (System.in.read() >= 0) {
        // hold the streams open until the parent closes stdin
      }
    }
  }

  private static void writeArrivals(List<SseLoadClient.Stream> streams, long expect, Path file)
      throws java.io.IOException {
    long offset = GatewayLatencyBench.epochMinusNano();
    StringBuilder b = new StringBuilder();
    for (SseLoadClient.Stream s : streams) {
      for (long r = 1; r <= expect; r++) {
        b.append(r).append(' ').append((s.arrivalNanos(r) + offset) / 1000).append('\n');
      }
    }
    Files.writeString(file, b);
  }
}

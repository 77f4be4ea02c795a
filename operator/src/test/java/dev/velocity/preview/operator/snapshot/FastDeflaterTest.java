package dev.velocity.preview.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class FastDeflaterTest {

  private static byte[] inflate(byte[] compressed, int length, int expectedSize)
      throws DataFormatException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed, 0, length);
      byte[] out = new byte[expectedSize + 1];
      int n = 0;
      while (!inflater.finished() && n < out.length) {
        int k = inflater.inflate(out, n, out.length - n);
        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += k;
      }
      assertThat(inflater.finished()).as("stream ends with a final block").isTrue();
      assertThat(inflater.getRemaining()).as("no bytes after the stream").isZero();
      return Arrays.copyOf(out, n);
    } finally {
      inflater.end();
    }
  }

  private static String sourceText(int lines, long seed) {
    Random random = new Random(seed);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      s.append("export function handler")
          .append(random.nextInt(500))
          .append("(request, response) {\n  const value = compute(")
          .append(random.nextInt(100_000))
          .append(");\n  return response.json({ ok: true, value });\n}\n");
    }
    return s.toString();
  }

  private static List<byte[]> inputs() {
    Random random = new Random(7);
    List<byte[]> inputs = new ArrayList<>();
    inputs.add(new byte[0]);
    inputs.add(new byte[] {42});
    inputs.add(new byte[] {1, 2, 3});
    inputs.add(new byte[] {1, 2, 3, 4});
    inputs.add(new byte[] {1, 2, 3, 4, 1, 2, 3, 4, 1});
    byte[] noise = new byte[200_000];
    random.nextBytes(noise);
    inputs.add(noise);
    byte[] run = new byte[300_000];
    Arrays.fill(run, (byte) 'a');
    inputs.add(run);
    byte[] periodic = new byte[100_000];
    for (int i = 0; i < periodic.length; i++) {
      periodic[i] = (byte) (i % 7);
    }
    inputs.add(periodic);
    byte[] fewSymbols = new byte[70_000];
    for (int i = 0; i < fewSymbols.length; i++) {
      fewSymbols[i] = (byte) random.nextInt(3);
    }
    inputs.add(fewSymbols);
    // long text: matches at every distance up to the 32 KiB window, a grown output buffer
    inputs.add(sourceText(40_000, 1).getBytes(StandardCharsets.UTF_8));
    inputs.add("héllo wörld — 名前 ✓\n".repeat(500).getBytes(StandardCharsets.UTF_8));
    return inputs;
  }

  @Test
  void everyInputInflatesBackWithTheJdkInflater() throws Exception {
    FastDeflater deflater = new FastDeflater();
    for (byte[] input : inputs()) {
      int n = deflater.deflate(input, input.length);
      assertThat(inflate(deflater.output(), n, input.length))
          .as("round trip of %d bytes", input.length)
          .isEqualTo(input);
    }
  }

  @Test
  void smallInputsOfEveryKindInflateBack() throws Exception {
    // under 4 KiB both codes are tried: every literal (bytes >= 144 have 9-bit fixed codes) and
    // long matches (length symbols 280-285) must come out right in either
    Random random = new Random(5);
    FastDeflater deflater = new FastDeflater();
    for (int t = 0; t < 3_000; t++) {
      byte[] input = new byte[random.nextInt(FastDeflater.SMALL_INPUT + 200)];
      for (int i = 0; i < input.length; i++) {
        input[i] =
            (byte)
                switch (t % 3) {
                  case 0 -> 'a' + random.nextInt(20);
                  case 1 -> random.nextInt(256);
                  default -> i % 13 + random.nextInt(2);
                };
      }
      int n = deflater.deflate(input, input.length);
      assertThat(inflate(deflater.output(), n, input.length))
          .as("input %d of %d bytes", t, input.length)
          .isEqualTo(input);
    }
  }

  @Test
  void outputDependsOnlyOnTheInputNotOnEarlierCalls() {
    byte[] text = sourceText(300, 3).getBytes(StandardCharsets.UTF_8);
    FastDeflater fresh = new FastDeflater();
    byte[] first = Arrays.copyOf(fresh.output(), fresh.deflate(text, text.length));

    FastDeflater used = new FastDeflater();
    for (byte[] other : inputs()) {
      used.deflate(other, other.length);
    }
    // the same text again: hash-table entries left by earlier inputs must not be used as matches
    used.deflate(text, text.length);
    byte[] again = Arrays.copyOf(used.output(), used.deflate(text, text.length));

    assertThat(again).isEqualTo(first);
  }

  @Test
  void repetitiveTextStillCompressesWithinHalfAgainOfZlibLevelOne() throws Exception {
    byte[] text = sourceText(2_000, 5).getBytes(StandardCharsets.UTF_8);
    FastDeflater fast = new FastDeflater();
    int ours = fast.deflate(text, text.length);
    Deflater zlib = new Deflater(1, true);
    zlib.setInput(text);
    zlib.finish();
    byte[] buffer = new byte[text.length];
    int theirs = 0;
    while (!zlib.finished()) {
      theirs += zlib.deflate(buffer, theirs, buffer.length - theirs);
    }
    zlib.end();
    assertThat(ours).isLessThan(text.length / 8);
    // one template repeated: zlib's longer matches and per-file code win most here (+43 %);
    // on real source text the difference is 5-10 % (docs/notes/NOTES-snapshot.md)
    assertThat((double) ours).isLessThan(theirs * 1.5);
  }

  @Test
  void smallInputsUseTheFixedCodeAndLargerOnesThePresetCode() throws Exception {
    FastDeflater deflater = new FastDeflater();
    byte[] tiny = "hello, world\n".getBytes(StandardCharsets.UTF_8);
    int n = deflater.deflate(tiny, tiny.length);
    // first byte: BFINAL (bit 0) and BTYPE (bits 1-2): 01 fixed, 10 dynamic
    assertThat(deflater.output()[0] & 7).isEqualTo(0b011);
    assertThat(n).as("no ~80-byte code header for 13 bytes").isLessThan(tiny.length + 4);
    assertThat(inflate(deflater.output(), n, tiny.length)).isEqualTo(tiny);

    byte[] text = sourceText(100, 13).getBytes(StandardCharsets.UTF_8);
    n = deflater.deflate(text, text.length);
    assertThat(deflater.output()[0] & 7).isEqualTo(0b101);
    assertThat(inflate(deflater.output(), n, text.length)).isEqualTo(text);
  }

  @Test
  void huffmanLengthsStayWithinTheLimitAndFormACompleteCode() {
    // Fibonacci frequencies give the deepest possible tree: 29 symbols would need 28 bits
    int[] freq = new int[29];
    freq[0] = 1;
    freq[1] = 1;
    for (int i = 2; i < freq.length; i++) {
      freq[i] = freq[i - 1] + freq[i - 2];
    }
    for (int limit : new int[] {7, 15}) {
      int[] lengths = new int[freq.length];
      HuffmanCode.lengths(freq, freq.length, limit, lengths);
      assertThat(Arrays.stream(lengths).max().getAsInt()).isLessThanOrEqualTo(limit);
      assertThat(kraftSum(lengths)).as("complete code, limit %d", limit).isEqualTo(1.0);
    }
    // a single used symbol still gets a two-symbol code (inflaters reject an empty one)
    int[] one = new int[30];
    one[5] = 10;
    int[] lengths = new int[30];
    HuffmanCode.lengths(one, 30, 15, lengths);
    assertThat(lengths[5]).isEqualTo(1);
    assertThat(kraftSum(lengths)).isEqualTo(1.0);
  }

  private static double kraftSum(int[] lengths) {
    double sum = 0;
    for (int l : lengths) {
      if (l > 0) {
        sum += Math.pow(2, -l);
      }
    }
    return sum;
  }

  @Test
  void entryCompressorStoresWhatDoesNotShrinkAndDeflatesText() throws Exception {
    EntryCompressor compressor = new EntryCompressor(1, true);
    byte[] noise = new byte[10_000];
    new Random(9).nextBytes(noise);
    CompressedEntry stored = compressor.compress("a.bin", noise, false);
    assertThat(stored.method()).isEqualTo(DeterministicZipWriter.METHOD_STORED);
    assertThat(stored.compressedSize()).isEqualTo(noise.length);

    byte[] text = sourceText(200, 11).getBytes(StandardCharsets.UTF_8);
    CompressedEntry deflated = compressor.compress("a.ts", text, false);
    assertThat(deflated.method()).isEqualTo(DeterministicZipWriter.METHOD_DEFLATED);
    assertThat(deflated.data()).hasSize((int) deflated.compressedSize());
    assertThat(inflate(deflated.data(), deflated.data().length, text.length)).isEqualTo(text);
    CRC32 crc = new CRC32();
    crc.update(text);
    assertThat(deflated.crc()).isEqualTo((int) crc.getValue());
  }

  @Test
  void encoderSettingIsValidatedByName() {
    assertThat(SnapshotConfig.defaults().fastDeflate()).isTrue();
    assertThat(SnapshotConfig.fromEnv(Map.of("SNAPSHOT_DEFLATE_ENCODER", "zlib")).fastDeflate())
        .isFalse();
    assertThatThrownBy(() -> SnapshotConfig.fromEnv(Map.of("SNAPSHOT_DEFLATE_ENCODER", "lz4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SNAPSHOT_DEFLATE_ENCODER must be fast or zlib, got 'lz4'");
  }
}

package dev.velocity.preview.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.velocity.preview.testkit.EmbeddedS3;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Large objects on S3Proxy's filesystem store (the local stack's), with the data directory given as
 * a relative path: S3Proxy 4.1.0 then completed no multipart upload (NoSuchUpload) until EmbeddedS3
 * made the directory absolute.
 */
class FilesystemStoreMultipartIT {

  @Test
  void multipartUploadsCompleteOnARelativeDataDirectory() throws Exception {
    Files.createDirectories(Path.of("target"));
    Path relative =
        Path.of("target").relativize(Files.createTempDirectory(Path.of("target"), "s3fs-"));
    Path dir = Path.of("target").resolve(relative);
    assertThat(dir.isAbsolute()).isFalse();
    byte[] data = new byte[(11 << 20) + 7];
    new Random(5).nextBytes(data);
    try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Options.filesystemStore(dir));
        ObjectStore store =
            new ObjectStore(ObjectStoreIT.config(s3, "local", true, s3.secretKey()))) {
      store.ensureBucket();
      store.put(
          "snapshots/p/1.zip", new ByteArrayInputStream(data), data.length, "application/zip");
      try (ObjectUpload upload =
          store.openUpload("snapshots/p/2.zip", "application/zip", Map.of())) {
        upload.write(data);
        upload.complete();
      }
      for (String key : new String[] {"snapshots/p/1.zip", "snapshots/p/2.zip"}) {
        try (InputStream in = store.get(key)) {
          assertThat(in.readAllBytes()).as(key).isEqualTo(data);
        }
      }
      assertThat(store.list("snapshots/"))
          .extracting(StoredObject::key)
          .containsExactly("snapshots/p/1.zip", "snapshots/p/2.zip");
    }
  }
}

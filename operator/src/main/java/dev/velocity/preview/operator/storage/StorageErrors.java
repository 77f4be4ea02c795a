package dev.velocity.preview.operator.storage;

import dev.velocity.preview.operator.storage.StorageException.Kind;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.util.Set;

/** Maps MinIO client failures to {@link StorageException} kinds. */
final class StorageErrors {
  private static final Set<String> NOT_FOUND =
      Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject", "ResourceNotFound", "NotFound");
  private static final Set<String> DENIED =
      Set.of(
          "AccessDenied",
          "SignatureDoesNotMatch",
          "InvalidAccessKeyId",
          "InvalidToken",
          "ExpiredToken",
          "AllAccessDisabled",
          "AccountProblem");

  private StorageErrors() {}

  static StorageException translate(String what, StorageConfig config, Throwable failure) {
    String where = " (" + config.endpoint() + ", bucket " + config.bucket() + ")";
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ErrorResponseException e) {
        String code = e.errorResponse() == null ? null : e.errorResponse().code();
        int status = e.response() == null ? 0 : e.response().code();
        Kind kind = kindOf(code, status);
        return new StorageException(kind, what + " failed: " + code + " " + status + where, e);
      }
      if (t instanceof ServerException) {
        return new StorageException(
            Kind.UNAVAILABLE, what + " failed: server error " + t.getMessage() + where, failure);
      }
      if (t instanceof IOException) {
        return new StorageException(
            Kind.UNAVAILABLE, what + " failed: storage unreachable: " + t + where, failure);
      }
    }
    return new StorageException(Kind.FAILED, what + " failed: " + failure + where, failure);
  }

  private static Kind kindOf(String code, int status) {
    if (code != null && NOT_FOUND.contains(code)) {
      return Kind.NOT_FOUND;
    }
    if (code != null && DENIED.contains(code)) {
      return Kind.DENIED;
    }
    if (status == 404) {
      return Kind.NOT_FOUND;
    }
    if (status == 401 || status == 403) {
      return Kind.DENIED;
    }
    if (status >= 500 || status == 429) {
      return Kind.UNAVAILABLE;
    }
    return Kind.FAILED;
  }
}

package dev.velocity.preview.operator.realtime.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the gateway refuses, answered as {@code {"error": code, "message": message}} with
 * {@link #status()}. Messages are written for the caller: they never contain secrets.
 */
public final class ApiError extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient HttpResponseStatus status;
  private final String code;

  /** A refusal with {@code status}, machine-readable {@code code} and a human {@code message}. */
  public ApiError(HttpResponseStatus status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** 400 {@code bad_request}. */
  public static ApiError badRequest(String message) {
    return new ApiError(HttpResponseStatus.BAD_REQUEST, "bad_request", message);
  }

  /** 401 {@code unauthorized}. */
  public static ApiError unauthorized(String message) {
    return new ApiError(HttpResponseStatus.UNAUTHORIZED, "unauthorized", message);
  }

  /** 403 {@code forbidden}. */
  public static ApiError forbidden(String message) {
    return new ApiError(HttpResponseStatus.FORBIDDEN, "forbidden", message);
  }

  /** 404 {@code not_found}. */
  public static ApiError notFound(String message) {
    return new ApiError(HttpResponseStatus.NOT_FOUND, "not_found", message);
  }

  /** 503 {@code unavailable}. */
  public static ApiError unavailable(String message) {
    return new ApiError(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", message);
  }

  /** The HTTP status. */
  public HttpResponseStatus status() {
    return status;
  }

  /** The {@code error} field: a stable, machine-readable code. */
  public String code() {
    return code;
  }
}

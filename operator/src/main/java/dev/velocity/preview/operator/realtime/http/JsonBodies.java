package dev.velocity.preview.operator.realtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.velocity.preview.protocol.EventJson;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads small JSON request bodies (the aggregator already bounds their size). */
final class JsonBodies {
  private JsonBodies() {}

  /**
   * The body as a JSON object.
   *
   * @throws ApiError 400 when it is empty, not JSON or not an object
   */
  static JsonNode read(FullHttpRequest request) throws ApiError {
    if (!request.content().isReadable()) {
      throw ApiError.badRequest("a JSON body is required");
    }
    JsonNode node;
    try (InputStream in = new ByteBufInputStream(request.content().duplicate())) {
      node = EventJson.mapper().readTree(in);
    } catch (IOException e) {
      throw ApiError.badRequest("the body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiError.badRequest("the body must be a JSON object");
    }
    return node;
  }
}

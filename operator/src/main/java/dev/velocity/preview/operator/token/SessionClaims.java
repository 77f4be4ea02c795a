package dev.velocity.preview.operator.token;

import java.time.Instant;
import java.util.UUID;

/**
 * What a verified session token says.
 *
 * @param sessionUid {@code sub}: the PreviewSession's UID
 * @param session {@code session}: {@code namespace/name}
 * @param projectId {@code project_id}: the only project the token may read
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param jti {@code jti}
 */
public record SessionClaims(
    String sessionUid,
    String session,
    UUID projectId,
    Instant issuedAt,
    Instant expiresAt,
    String jti) {}

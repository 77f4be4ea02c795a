package dev.velocity.preview.e2e.db;

import java.sql.SQLException;

/** A database call of the local stack failed; carries the SQLSTATE when there is one. */
public final class DatabaseException extends RuntimeException {
  private final String sqlState;

  public DatabaseException(String message, SQLException cause) {
    super(message, cause);
    this.sqlState = cause.getSQLState();
  }

  /** The SQLSTATE, e.g. {@code PT409}. */
  public String sqlState() {
    return sqlState;
  }
}

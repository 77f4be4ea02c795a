package dev.velocity.preview.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

  @Test
  void databasesAreSeparateAndDroppedOnClose() throws SQLException {
    String dropped;
    try (TestDatabase a = TestDatabase.create();
        TestDatabase b = TestDatabase.create()) {
      assertThat(a.name()).isNotEqualTo(b.name());
      try (Connection c = a.superuserDataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("create table only_in_a(x int)");
      }
      try (Connection c = b.superuserDataSource().getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select to_regclass('only_in_a') is null")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isTrue();
      }
      assertThat(a.jdbcUrl()).endsWith("/" + a.name());
      dropped = a.name();
    }
    try (Connection c =
            EmbeddedPostgresServer.shared().superuserDataSource("postgres").getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("select count(*) from pg_database where datname = '" + dropped + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void loginRoleHasOnlyTheGrantedMembership() throws SQLException {
    try (TestDatabase db = TestDatabase.create()) {
      try (Connection c = db.superuserDataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("create role tk_readers nologin");
        st.execute("create table secret(x int)");
        st.execute("create table shared(x int)");
        st.execute("grant select on shared to tk_readers");
      }
      db.createLoginRole("tk_login", "pw", "tk_readers");
      try (Connection c = db.dataSource("tk_login", "pw").getConnection();
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("select count(*) from shared")) {
          rs.next();
          assertThat(rs.getInt(1)).isZero();
        }
        assertThatThrownBy(() -> st.executeQuery("select * from secret"))
            .isInstanceOf(SQLException.class)
            .extracting(e -> ((SQLException) e).getSQLState())
            .isEqualTo("42501");
      }
      try (Connection c = db.superuserDataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("drop table shared");
        st.execute("drop role tk_readers");
      }
    }
  }

  @Test
  void copiesOfATemplateStartFromThePreparedState() throws SQLException {
    int[] prepared = {0};
    java.util.function.Consumer<javax.sql.DataSource> init =
        ds -> {
          prepared[0]++;
          try (Connection c = ds.getConnection();
              Statement st = c.createStatement()) {
            st.execute("create table seeded(x int)");
            st.execute("insert into seeded values (42)");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        };
    try (TestDatabase a = TestDatabase.create("tk_seeded", init);
        TestDatabase b = TestDatabase.create("tk_seeded", init)) {
      assertThat(prepared[0]).isEqualTo(1);
      try (Connection c = a.superuserDataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("insert into seeded values (1)");
      }
      try (Connection c = b.superuserDataSource().getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select string_agg(x::text, ',') from seeded")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("42");
      }
    }
  }
}

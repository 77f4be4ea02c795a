package dev.velocity.preview.operator.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json stops a bad value before anything is rendered, naming the value. */
class ChartValuesSchemaTest {

  private static final String HEADER =
      "values don't meet the specifications of the schema(s) in the following chart(s):\n"
          + "preview-operator:\n";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          operator: {replicas: two}                  | - at '/operator/replicas': got string, want integer
          gateway: {replicas: 0}                     | - at '/gateway/replicas': minimum: got 0, want 1
          gateway: {port: 70000}                     | - at '/gateway/port': maximum: got 70,000, want 65,535
          replicaCount: 2                            | - at '': additional properties 'replicaCount' not allowed
          database: {url: 'postgres://db/preview'}   | - at '/database/url': 'postgres://db/preview' does not match pattern '^jdbc:postgresql://'
          s3: {existingSecret: 'Not_A_Name'}         | - at '/s3/existingSecret': 'Not_A_Name' does not match pattern '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$'
          watch: {allNamespaces: 'yes'}              | - at '/watch/allNamespaces': got string, want boolean
          tokens: {signingKey: {keyId: '../etc'}}    | - at '/tokens/signingKey/keyId': '../etc' does not match pattern '^[A-Za-z0-9][-._A-Za-z0-9]{0,63}$'
          operator: {resources: {requests: {memory: null}}} | - at '/operator/resources/requests': missing property 'memory'
          """)
  void rejects(String values, String error) {
    assertThatThrownBy(() -> ChartUnderTest.firstInstall().renderRaw(values))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(HEADER)
        .hasMessageContaining(error);
  }
}

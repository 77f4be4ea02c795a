package dev.velocity.preview.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One environment variable of the dev server. Only literal values: a {@code valueFrom} reference
 * would let anyone who may create a session read Secrets they cannot read themselves.
 */
public class EnvEntry {
  /** Longest value, in characters. */
  public static final int MAX_VALUE_LENGTH = 32768;

  @Required
  @Size(min = 1, max = 256)
  @Pattern("^[-._a-zA-Z][-._a-zA-Z0-9]*$")
  @JsonPropertyDescription("Name of the variable.")
  private String name;

  @Size(max = MAX_VALUE_LENGTH)
  @JsonPropertyDescription("Literal value of the variable; empty when unset.")
  private String value;

  public EnvEntry() {}

  public EnvEntry(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }
}

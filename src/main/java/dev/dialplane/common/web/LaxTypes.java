package dev.dialplane.common.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a vendor-compatible controller whose JSON bodies are read as that vendor's server reads
 * them: Pydantic v2 lax mode (see {@link BodyTypes}), with FastAPI's 422 {@code detail} list.
 * Every other controller reads JSON strictly.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface LaxTypes {}

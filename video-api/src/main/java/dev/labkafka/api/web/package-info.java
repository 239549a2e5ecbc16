/**
 * The web layer's own pieces: the root ({@code {"status":"ok"}} or the page), the second
 * port for browsers, who may write (Spring Security, with the page's security headers),
 * and the OpenAPI description's head.
 */
@ApplicationModule(allowedDependencies = { "problems" })
@NullMarked
package dev.labkafka.api.web;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;

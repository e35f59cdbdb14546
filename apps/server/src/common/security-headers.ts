import type { RequestHandler } from "express";
import helmet from "helmet";
import type { ServerConfig } from "../config.js";

/**
 * The Content-Security-Policy of every answer (the web app, the API, downloads). The built web
 * app is module scripts and stylesheets from its own origin; Element Plus and Vue set inline
 * `style` attributes (positions of popovers, widths of columns), hence 'unsafe-inline' for
 * styles only. Nothing may frame the app (clickjacking).
 */
export function cspDirectives(production: boolean): Record<string, string[]> {
  return {
    "default-src": ["'self'"],
    "base-uri": ["'self'"],
    "script-src": ["'self'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    // Over plain HTTP (development, tests) upgrading would break every request.
    ...(production ? { "upgrade-insecure-requests": [] } : {}),
  };
}

/**
 * Security headers (helmet): CSP as above, X-Frame-Options DENY, nosniff, Referrer-Policy
 * same-origin, cross-origin opener/resource isolation, and HSTS in production only (a
 * development server on http://localhost must not pin the host to HTTPS).
 */
export function securityHeaders(config: Pick<ServerConfig, "production">): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config.production) },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
    strictTransportSecurity: config.production ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  return headers as unknown as RequestHandler;
}

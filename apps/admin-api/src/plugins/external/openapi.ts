import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PREFIX = '/docs';

/** Our own logo, inline: the package's default is read from a path that bundling moves. */
const LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="24"><text x="0" y="18" font-family="sans-serif" font-size="18" fill="#fff">lakewall</text></svg>',
);

/**
 * TypeBox route schemas become an OpenAPI 3.1 document at /openapi.json; the docs UI is served
 * from the installed @fastify/swagger-ui package (no CDN: operators' networks reach none).
 */
export default fp(
  async (app, opts: { version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'lakewall admin API',
          version: opts.version,
          description:
            'Operate the platform over REST. Every route but health, readiness and this document needs a bearer token; ' +
            'callers without MNPI clearance see public resources only, and a hidden resource answers 404 like a missing one.',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        security: [{ bearerAuth: [] }],
      },
    });
    await app.register(swaggerUi, {
      routePrefix: DOCS_PREFIX,
      staticCSP: true,
      logo: { type: 'image/svg+xml', content: LOGO },
      // Nothing leaves the page: no validator badge from the internet, no https-only upgrades
      // (TLS ends at the load balancer), no external fonts or styles.
      transformStaticCSP: (header) =>
        header
          .replace(/ validator\.swagger\.io/g, '')
          .replace(/ https:/g, '')
          .replace(/ upgrade-insecure-requests;/g, ''),
      uiConfig: { deepLinking: false, validatorUrl: null },
    });
    app.get(OPENAPI_PATH, { schema: { hide: true }, config: { access: { public: true } } }, async () =>
      app.swagger(),
    );
  },
  { name: 'openapi' },
);

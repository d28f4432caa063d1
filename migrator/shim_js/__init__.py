"""Package data: the legacy-client runtime shim (``legacy-client.ts`` and ``legacy-client.js``).

``ddmigrate shim`` (:mod:`migrator.shim_js.install`) copies one of them, with a header, into a project.
The ``.js`` file is the ``.ts`` file with its types moved into JSDoc comments; the tests check
that TypeScript emits the same code from both, and run both under node.

Module format: both are ES modules (``import type``/``export``), with no runtime import. That is
what extension frontends are built from (Vite, webpack, esbuild, Parcel, tsc all take an ES
module in a ``.ts``/``.js`` file). Plain node needs ``"type": "module"`` in the nearest
package.json, or a ``.mjs``/``.mts`` name, which ``ddmigrate shim --out`` accepts. CommonJS
(``.cjs``/``.cts``) is refused.
"""

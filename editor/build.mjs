// Bundles src/editor.js into ../static/vendor/tiptap-<@tiptap/core version>.min.js (one
// minified IIFE, committed; pages never build anything). Run: npm ci && npm run build
import { build } from "esbuild";
import { readFileSync, readdirSync, rmSync } from "node:fs";

const version = JSON.parse(readFileSync("node_modules/@tiptap/core/package.json", "utf8")).version;
const vendor = "../static/vendor";
const outfile = `${vendor}/tiptap-${version}.min.js`;

// An older bundle left behind would be served by nobody: remove it.
for (const name of readdirSync(vendor)) {
  if (/^tiptap-.*\.min\.js$/.test(name) && `${vendor}/${name}` !== outfile) rmSync(`${vendor}/${name}`);
}

await build({
  entryPoints: ["src/editor.js"],
  bundle: true,
  format: "iife",
  minify: true,
  target: ["es2020"],
  legalComments: "none",
  define: { __TIPTAP_VERSION__: JSON.stringify(version) },
  banner: {
    js: `/*! Stellary editor, built from editor/src/editor.js: TipTap ${version}, ProseMirror, ` +
        "Floating UI, linkifyjs (all MIT licensed). Rebuild: see editor/README.md */",
  },
  outfile,
  logLevel: "info",
});

// Builds the Safeguarding app's committed front-end assets.
//
//   cd frontend && npm ci && npm run build
//
// Outputs (paths relative to the repository root):
//   static/css/app.css                     compiled, compressed, no source map
//   static/js/govuk-frontend.min.js        GOV.UK Frontend ES module bundle
//   static/js/moj-frontend.min.js          MoJ Frontend ES module bundle
//   static/govuk/assets/images/*           MoJ component icons referenced by app.css
//   static/LICENSES/*                      upstream licences
//   tests/browser/vendor/axe.min.js        axe-core (+ licence) for browser tests
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const nm = join(here, 'node_modules')
const govuk = join(nm, 'govuk-frontend', 'dist', 'govuk')
const moj = join(nm, '@ministryofjustice', 'frontend', 'moj')

function copy (from, to) {
  mkdirSync(dirname(to), { recursive: true })
  copyFileSync(from, to)
  console.log(`copied  ${to.slice(root.length + 1)}`)
}

// 1. CSS ---------------------------------------------------------------------
const result = sass.compile(join(here, 'scss', 'app.scss'), {
  style: 'compressed',
  sourceMap: false,
  loadPaths: [here],
  quietDeps: true,
  silenceDeprecations: ['import', 'global-builtin']
})
let css = result.css + '\n'
if (/GDS Transport|@font-face/.test(css)) {
  throw new Error('app.css must not contain GDS Transport / @font-face')
}

// 2. JavaScript (ES modules – load with <script type="module">) --------------
// The trailing `//# sourceMappingURL=...` comment is removed: the .map files
// are not shipped, and Django's ManifestStaticFilesStorage (WhiteNoise's
// CompressedManifestStaticFilesStorage) fails collectstatic on a missing map.
function copyJs (from, to) {
  const js = readFileSync(from, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
  mkdirSync(dirname(to), { recursive: true })
  writeFileSync(to, js)
  console.log(`copied  ${to.slice(root.length + 1)} (source map comment removed)`)
}
copyJs(join(govuk, 'govuk-frontend.min.js'), join(root, 'static', 'js', 'govuk-frontend.min.js'))
copyJs(join(moj, 'moj-frontend.min.js'), join(root, 'static', 'js', 'moj-frontend.min.js'))

// 3. Images referenced by app.css --------------------------------------------
// Never copy the crown, crest, favicons, touch icons, manifest or logotypes:
// they are licensed for GOV.UK (or MoJ branding) only.
const excluded = /crown|crest|favicon|apple-touch|manifest|logo|opengraph|govuk-icon/i
const imagesOut = join(root, 'static', 'govuk', 'assets', 'images')
rmSync(imagesOut, { recursive: true, force: true })
const prefix = '/static/govuk/assets/images/'
const referenced = new Set()
for (const m of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  if (m[1].startsWith(prefix)) referenced.add(m[1].slice(prefix.length))
}
const missing = []
for (const name of [...referenced].sort()) {
  const src = [join(moj, 'assets', 'images', name), join(govuk, 'assets', 'images', name)].find(existsSync)
  if (!src || excluded.test(name)) {
    missing.push(prefix + name)
    continue
  }
  copy(src, join(imagesOut, name))
}

// Images we do not ship (only the GOV.UK crest on .govuk-footer__copyright-logo
// in practice) are replaced by `background-image:none`, so that app.css has no
// dangling url() – ManifestStaticFilesStorage would refuse to collectstatic.
for (const url of missing) {
  const re = new RegExp(`background-image:url\\(["']?${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\)`, 'g')
  const before = css
  css = css.replace(re, 'background-image:none')
  if (css === before || css.includes(url)) {
    throw new Error(`could not neutralise reference to ${url}`)
  }
}

const cssOut = join(root, 'static', 'css', 'app.css')
mkdirSync(dirname(cssOut), { recursive: true })
writeFileSync(cssOut, css)
console.log(`wrote   static/css/app.css (${css.length} bytes)`)

// 4. Licences and axe-core ---------------------------------------------------
// The govuk-frontend and @ministryofjustice/frontend npm tarballs do not ship
// a LICENSE file, so verbatim copies from the upstream repositories are kept
// in frontend/licenses/.
copy(join(here, 'licenses', 'govuk-frontend-LICENSE.txt'), join(root, 'static', 'LICENSES', 'govuk-frontend-LICENSE.txt'))
copy(join(here, 'licenses', 'moj-frontend-LICENSE.txt'), join(root, 'static', 'LICENSES', 'moj-frontend-LICENSE.txt'))
copy(join(nm, 'axe-core', 'axe.min.js'), join(root, 'tests', 'browser', 'vendor', 'axe.min.js'))
copy(join(nm, 'axe-core', 'LICENSE'), join(root, 'tests', 'browser', 'vendor', 'axe-core-LICENSE.txt'))

const versions = ['govuk-frontend', '@ministryofjustice/frontend', 'axe-core', 'sass']
  .map((p) => `${p}@${JSON.parse(readFileSync(join(nm, p, 'package.json'), 'utf8')).version}`)
console.log(`\nversions: ${versions.join(', ')}`)
if (missing.length) {
  console.log(`\nurl(...) references not shipped (replaced by background-image:none):\n  ${missing.join('\n  ')}`)
}

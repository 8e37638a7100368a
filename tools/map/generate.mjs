// Converts Natural Earth country shapes (from the world-atlas npm package) into the compact
// asset the world map embed draws: `src/routes/embed_assets/world.json`.
//
// Run once, when the shapes should change; nothing is downloaded when endorse builds or runs.
//
//   mkdir -p /tmp/atlas && cd /tmp/atlas && npm install world-atlas@2 topojson-client@3 topojson-simplify@3
//   node tools/map/generate.mjs /tmp/atlas > src/routes/embed_assets/world.json
//
// What it does: reads countries-50m.json (TopoJSON, ISO 3166-1 numeric ids), simplifies the
// shared arcs (Visvalingam, so neighbours keep one border), drops Antarctica (nobody endorses
// from there and it would take a fifth of the height), projects with the Equal Earth projection
// (Šavrič, Patterson and Jenny 2018) onto a 1000-unit-wide plane, rounds every point to one
// decimal, and writes each country's outline as an SVG path `d` with relative commands.
// The server maps the numeric ids to alpha-2 codes with the keshvar crate.
//
// Licences: Natural Earth data is in the public domain (naturalearthdata.com/about/terms-of-use);
// world-atlas is ISC (Mike Bostock); see tools/map/README.md.

import { createRequire } from "node:module";
import path from "node:path";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node tools/map/generate.mjs FOLDER_WITH_NODE_MODULES");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(folder), "package.json"));
const { feature } = require("topojson-client");
const { presimplify, simplify, quantile } = require("topojson-simplify");
const topology = require("world-atlas/countries-50m.json");

// Keep the most significant points: the weight below which points go, as a quantile.
const KEEP = Number(process.env.KEEP || "0.1");
const WIDTH = 1000;

// Equal Earth, from the paper's equations.
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;
const M = Math.sqrt(3) / 2;
function equalEarth(lon, lat) {
  const lambda = (lon * Math.PI) / 180;
  const theta = Math.asin(M * Math.sin((lat * Math.PI) / 180));
  const t2 = theta * theta, t6 = t2 * t2 * t2;
  const x = (lambda * Math.cos(theta)) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x, y];
}
const [xMax] = equalEarth(180, 0);
const scale = WIDTH / 2 / xMax;

// The full shapes, kept for the small countries that simplification would wipe out.
const full = feature(topology, topology.objects.countries).features;
const weighted = presimplify(JSON.parse(JSON.stringify(topology)));
const simplified = simplify(weighted, quantile(weighted, KEEP));
const countries = feature(simplified, simplified.objects.countries).features
  .map((f, i) => (drawable(f) ? f : full[i]))
  .filter((f) => f.id !== "010"); // Antarctica

function polygonsOf(f) {
  if (!f.geometry) return [];
  return f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
}

// Whether a simplified shape still has an outline of three points or more.
function drawable(f) {
  return polygonsOf(f).some((polygon) => new Set(polygon[0].map(String)).size >= 3);
}

// A ring that crosses the antimeridian (Russia, Fiji) made continuous: its longitudes go
// past 180 instead of jumping to -180, so the part beyond lies off the map's edge instead of
// a line across the whole map.
function unwrap(ring) {
  const out = [];
  let shift = 0;
  for (let i = 0; i < ring.length; i++) {
    const [lon, lat] = ring[i];
    if (i > 0) {
      const previous = ring[i - 1][0];
      if (lon - previous > 180) shift -= 360;
      else if (previous - lon > 180) shift += 360;
    }
    out.push([lon + shift, lat]);
  }
  const mean = out.reduce((sum, [lon]) => sum + lon, 0) / out.length;
  const back = mean > 180 ? -360 : mean < -180 ? 360 : 0;
  return back ? out.map(([lon, lat]) => [lon + back, lat]) : out;
}

let yMin = Infinity, yMax = -Infinity;
const projected = countries.map((f) => {
  const rings = [];
  for (const polygon of polygonsOf(f)) {
    for (const ring of polygon) {
      const points = unwrap(ring).map(([lon, lat]) => {
        const [x, y] = equalEarth(lon, lat);
        const p = [x * scale + WIDTH / 2, -y * scale];
        yMin = Math.min(yMin, p[1]);
        yMax = Math.max(yMax, p[1]);
        return p;
      });
      rings.push(points);
    }
  }
  return { f, rings };
});

const round = (v) => Math.round(v * 10) / 10;
const num = (v) => {
  const s = String(round(v));
  return s.replace(/^(-?)0\./, "$1.");
};
// Joins numbers as SVG path data allows: no separator before a minus sign or a leading dot
// that cannot be read as part of the previous number.
function join(values) {
  let out = "";
  let previous = "";
  for (const s of values) {
    const needsSpace = out !== "" && !s.startsWith("-") && !(s.startsWith(".") && previous.includes("."));
    out += (needsSpace ? " " : "") + s;
    previous = s;
  }
  return out;
}

const top = Math.floor(yMin) - 2;
const height = Math.ceil(yMax) - top + 2;
const shapes = [];
for (const { f, rings } of projected) {
  let d = "";
  for (const ring of rings) {
    // Rounded absolute points, then differences between them: no drift.
    const points = ring.map(([x, y]) => [Math.round(x * 10), Math.round((y - top) * 10)]);
    const kept = points.filter((p, i) => i === 0 || p[0] !== points[i - 1][0] || p[1] !== points[i - 1][1]);
    if (kept.length < 4) continue; // closed ring of fewer than three distinct points: nothing to see
    const [x0, y0] = kept[0];
    const deltas = [];
    for (let i = 1; i < kept.length - 1; i++) {
      deltas.push(num((kept[i][0] - kept[i - 1][0]) / 10), num((kept[i][1] - kept[i - 1][1]) / 10));
    }
    d += `M${join([num(x0 / 10), num(y0 / 10)])}l${join(deltas)}z`;
  }
  if (d) shapes.push({ id: f.id || null, name: f.properties.name, d });
}
shapes.sort((a, b) => (a.id || "~" + a.name).localeCompare(b.id || "~" + b.name));

process.stdout.write(
  JSON.stringify({
    source: "Natural Earth 1:50m admin 0 countries (public domain), via world-atlas 2 (ISC), simplified; Equal Earth projection",
    width: WIDTH,
    height,
    countries: shapes,
  }) + "\n",
);

// The interactive member map (`map.tiles` in cluster.yaml, docs/members.md): a tile map the
// visitor opens with a button under the member map. Its tiles come from another site, so
// nothing is asked of that site before the click; the map drawn at build time stays for
// visitors without JavaScript and on paper. Drag to move, buttons, double click or Ctrl and
// the wheel to zoom, arrow keys and +/- from the keyboard.
(() => {
  "use strict";
  const TILE = 256;

  for (const figure of document.querySelectorAll("figure.member-map[data-tiles]")) {
    const button = figure.querySelector(".map-interactive");
    if (!button) continue;
    button.hidden = false;
    button.addEventListener("click", () => open(figure, button), { once: true });
  }

  // A place as pixels of the whole world at zoom `z` (Web Mercator, as tiles are cut).
  function project(lat, lon, z) {
    const size = TILE * 2 ** z;
    const phi = (Math.max(-85, Math.min(85, lat)) * Math.PI) / 180;
    const y = (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2;
    return [((lon + 180) / 360) * size, y * size];
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function open(figure, button) {
    const spots = JSON.parse(figure.dataset.spots || "[]");
    const svg = figure.querySelector("svg");
    const box = element("div", "tile-map");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", figure.dataset.label || "");
    const tiles = element("div", "tile-layer");
    const pins = element("div", "tile-pins");
    const controls = element("div", "tile-controls");
    const zoomIn = element("button", "", "+");
    const zoomOut = element("button", "", "−");
    for (const [b, label] of [[zoomIn, figure.dataset.zoomIn], [zoomOut, figure.dataset.zoomOut]]) {
      b.type = "button";
      b.setAttribute("aria-label", label || "");
    }
    controls.append(zoomIn, zoomOut);
    const credit = element("p", "tile-credit", figure.dataset.attribution || "");
    box.append(tiles, pins, controls, credit);
    svg.replaceWith(box);
    button.remove();

    // The largest zoom that shows every marker, then its middle.
    const width = () => box.clientWidth;
    const height = () => box.clientHeight;
    let z = 17;
    let center = [0, 0];
    for (; z > 1; z--) {
      const points = spots.map(([lat, lon]) => project(lat, lon, z));
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      center = [(x0 + x1) / 2, (y0 + y1) / 2];
      if (x1 - x0 < width() * 0.85 && y1 - y0 < height() * 0.85) break;
    }

    // Markers, made once and moved as the map is.
    const marks = spots.map(([lat, lon, count, color, href, title]) => {
      const a = element("a", count > 1 ? "tile-pin tile-group" : "tile-pin", count > 1 ? String(count) : "");
      a.href = href;
      a.title = title;
      a.setAttribute("aria-label", title);
      a.style.background = color;
      pins.append(a);
      return { a, lat, lon };
    });

    let frame = 0;
    function draw() {
      frame = 0;
      const [w, h] = [width(), height()];
      const left = center[0] - w / 2;
      const top = center[1] - h / 2;
      const n = 2 ** z;
      const wanted = new Map();
      for (let ty = Math.floor(top / TILE); ty <= Math.floor((top + h) / TILE); ty++) {
        if (ty < 0 || ty >= n) continue;
        for (let tx = Math.floor(left / TILE); tx <= Math.floor((left + w) / TILE); tx++) {
          const x = ((tx % n) + n) % n;
          const src = figure.dataset.tiles.replace("{z}", z).replace("{x}", x).replace("{y}", ty);
          wanted.set(`${tx}/${ty}`, { src, left: tx * TILE - left, top: ty * TILE - top });
        }
      }
      // Tiles already shown stay (no flicker while dragging); the others come and go.
      for (const img of Array.from(tiles.children)) {
        const tile = wanted.get(img.dataset.key);
        if (tile && img.dataset.z === String(z)) {
          img.style.transform = `translate(${tile.left}px, ${tile.top}px)`;
          wanted.delete(img.dataset.key);
        } else {
          img.remove();
        }
      }
      for (const [key, tile] of wanted) {
        const img = element("img");
        img.alt = "";
        img.width = img.height = TILE;
        img.dataset.key = key;
        img.dataset.z = String(z);
        img.src = tile.src;
        img.style.transform = `translate(${tile.left}px, ${tile.top}px)`;
        tiles.append(img);
      }
      for (const { a, lat, lon } of marks) {
        const [x, y] = project(lat, lon, z);
        a.style.transform = `translate(${x - left}px, ${y - top}px)`;
      }
    }
    const redraw = () => frame || (frame = requestAnimationFrame(draw));

    function zoom(by, at) {
      const next = Math.max(2, Math.min(18, z + by));
      if (next === z) return;
      // The point under the pointer (or the middle) stays where it is.
      const [w, h] = [width(), height()];
      const [ax, ay] = at || [w / 2, h / 2];
      const world = [center[0] - w / 2 + ax, center[1] - h / 2 + ay];
      const f = 2 ** (next - z);
      center = [world[0] * f - ax + w / 2, world[1] * f - ay + h / 2];
      z = next;
      redraw();
    }
    const local = (e) => {
      const r = box.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    zoomIn.addEventListener("click", () => zoom(1));
    zoomOut.addEventListener("click", () => zoom(-1));
    box.addEventListener("dblclick", (e) => {
      if (e.target.closest("a, button")) return;
      zoom(1, local(e));
    });
    // Without Ctrl the wheel scrolls the page, as visitors expect.
    box.addEventListener("wheel", (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1 : -1, local(e));
    }, { passive: false });
    let drag = null;
    box.addEventListener("pointerdown", (e) => {
      if (e.target.closest("a, button")) return;
      drag = { x: e.clientX, y: e.clientY, center: center.slice() };
      box.setPointerCapture(e.pointerId);
    });
    box.addEventListener("pointermove", (e) => {
      if (!drag) return;
      center = [drag.center[0] - (e.clientX - drag.x), drag.center[1] - (e.clientY - drag.y)];
      redraw();
    });
    const stop = () => (drag = null);
    box.addEventListener("pointerup", stop);
    box.addEventListener("pointercancel", stop);
    box.addEventListener("keydown", (e) => {
      const step = { ArrowLeft: [-80, 0], ArrowRight: [80, 0], ArrowUp: [0, -80], ArrowDown: [0, 80] }[e.key];
      if (step) {
        center = [center[0] + step[0], center[1] + step[1]];
        redraw();
      } else if (e.key === "+" || e.key === "=") {
        zoom(1);
      } else if (e.key === "-") {
        zoom(-1);
      } else {
        return;
      }
      e.preventDefault();
    });
    window.addEventListener("resize", redraw);
    draw();
    box.focus();
  }
})();

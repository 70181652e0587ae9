"""Draw a matplotlib figure straight onto a reportlab canvas, as vectors.

A minimal matplotlib renderer turns every path into a PDF path and every text
into real (selectable, searchable) text in the embedded DejaVu font, so plots
stay sharp at any zoom and no raster image or temporary file is involved.
Text in another font family or in mathtext is drawn as outlines instead.
Hatching and Gouraud shading are not supported (survival plots use neither).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncoboard.core.report.fonts import (
    SANS,
    SANS_BOLD,
    SANS_BOLD_ITALIC,
    SANS_ITALIC,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure
    from reportlab.platypus import Flowable

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


@lru_cache(maxsize=64)
def _is_dejavu_sans(font_file: str) -> bool:
    name = Path(font_file).name
    return (
        name.startswith("DejaVuSans") and "Mono" not in name and "Condensed" not in name
    )


def _face(prop: Any) -> str:
    weight = prop.get_weight()
    bold = weight in (
        "bold",
        "heavy",
        "extra bold",
        "black",
        "semibold",
        "demibold",
    ) or (isinstance(weight, int | float) and weight >= 600)
    italic = prop.get_style() in ("italic", "oblique")
    if bold and italic:
        return SANS_BOLD_ITALIC
    if bold:
        return SANS_BOLD
    return SANS_ITALIC if italic else SANS


def _rl_path(canv: Any, path: Any, transform: Any) -> Any:
    """Convert a matplotlib path (display coordinates) to a reportlab path."""
    from matplotlib.path import Path as MplPath

    p = canv.beginPath()
    last = (0.0, 0.0)
    for verts, code in path.iter_segments(transform, remove_nans=True):
        if code == MplPath.CLOSEPOLY:
            p.close()
            continue
        if code == MplPath.MOVETO:
            p.moveTo(*verts[-2:])
        elif code == MplPath.LINETO:
            p.lineTo(*verts[-2:])
        elif code == MplPath.CURVE3:  # quadratic -> cubic
            cx, cy, x, y = verts
            x0, y0 = last
            p.curveTo(
                x0 + 2 / 3 * (cx - x0),
                y0 + 2 / 3 * (cy - y0),
                x + 2 / 3 * (cx - x),
                y + 2 / 3 * (cy - y),
                x,
                y,
            )
        elif code == MplPath.CURVE4:
            p.curveTo(*verts)
        last = (float(verts[-2]), float(verts[-1]))
    return p


def _apply_clip(canv: Any, gc: Any) -> None:
    rect = gc.get_clip_rectangle()
    if rect is not None:
        x0, y0, w, h = rect.bounds
        p = canv.beginPath()
        p.rect(x0, y0, w, h)
        canv.clipPath(p, stroke=0, fill=0)
    tpath, affine = gc.get_clip_path()
    if tpath is not None:
        canv.clipPath(_rl_path(canv, tpath, affine), stroke=0, fill=0)


def _stroke_style(canv: Any, gc: Any) -> bool:
    width = gc.get_linewidth()
    r, g, b, a = gc.get_rgb()
    if width <= 0 or a <= 0:
        return False
    canv.setLineWidth(width)
    canv.setStrokeColorRGB(r, g, b)
    canv.setStrokeAlpha(a)
    canv.setLineCap(_CAPS.get(gc.get_capstyle(), 0))
    canv.setLineJoin(_JOINS.get(gc.get_joinstyle(), 0))
    offset, dashes = gc.get_dashes()
    if dashes:
        canv.setDash([float(d) for d in dashes], float(offset or 0))
    return True


def _fill_style(canv: Any, gc: Any, rgb_face: Any) -> bool:
    if rgb_face is None:
        return False
    r, g, b = rgb_face[:3]
    if gc.get_forced_alpha():
        a = gc.get_alpha()
    else:
        a = rgb_face[3] if len(rgb_face) > 3 else 1.0
    if a <= 0:
        return False
    canv.setFillColorRGB(r, g, b)
    canv.setFillAlpha(a)
    return True


def _renderer_class() -> type:
    """Build the renderer class lazily so that importing this module is cheap."""
    from matplotlib import font_manager
    from matplotlib.backend_bases import RendererBase

    class ReportLabRenderer(RendererBase):  # type: ignore[misc]
        """Renders onto a reportlab canvas at 72 dpi (1 pixel = 1 point)."""

        def __init__(self, canv: Any, width: float, height: float) -> None:
            super().__init__()
            self.canv = canv
            self.width = width
            self.height = height

        def get_canvas_width_height(self) -> tuple[float, float]:
            return self.width, self.height

        def flipy(self) -> bool:
            return False

        def points_to_pixels(self, points: Any) -> Any:
            return points

        # -- drawing -----------------------------------------------------
        def draw_path(
            self, gc: Any, path: Any, transform: Any, rgbFace: Any = None
        ) -> None:  # noqa: N803
            canv = self.canv
            canv.saveState()
            _apply_clip(canv, gc)
            stroke = _stroke_style(canv, gc)
            fill = _fill_style(canv, gc, rgbFace)
            if stroke or fill:
                p = _rl_path(canv, path, transform)
                canv.drawPath(p, stroke=int(stroke), fill=int(fill), fillMode=1)
            canv.restoreState()

        def draw_text(
            self,
            gc: Any,
            x: float,
            y: float,
            s: str,
            prop: Any,
            angle: float,
            ismath: Any = False,
            mtext: Any = None,
        ) -> None:
            if ismath or not _is_dejavu_sans(font_manager.findfont(prop)):
                self._draw_text_as_path(  # type: ignore[attr-defined]
                    gc, x, y, s, prop, angle, ismath, mtext
                )
                return
            canv = self.canv
            canv.saveState()
            _apply_clip(canv, gc)
            r, g, b, a = gc.get_rgb()
            canv.setFillColorRGB(r, g, b)
            canv.setFillAlpha(a)
            canv.translate(x, y)
            if angle:
                canv.rotate(angle)
            canv.setFont(_face(prop), prop.get_size_in_points())
            canv.drawString(0, 0, s)
            canv.restoreState()

        def draw_image(
            self, gc: Any, x: float, y: float, im: Any, transform: Any = None
        ) -> None:
            from PIL import Image
            from reportlab.lib.utils import ImageReader

            height, width = im.shape[:2]
            canv = self.canv
            canv.saveState()
            _apply_clip(canv, gc)
            canv.drawImage(
                ImageReader(Image.fromarray(im, "RGBA")),
                x,
                y,
                width,
                height,
                mask="auto",
            )
            canv.restoreState()

    return ReportLabRenderer


_RENDERER: type | None = None


def draw_figure(fig: Figure, canv: Any, width: float) -> float:
    """Draw ``fig`` with its lower-left corner at the canvas origin.

    Parameters
    ----------
    fig
        The matplotlib figure; it is left as it was.
    canv
        A reportlab canvas.
    width
        Target width in points; the figure is scaled uniformly.

    Returns
    -------
    float
        The height used, in points.
    """
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = _renderer_class()
    fig_w, fig_h = (float(v) * 72.0 for v in fig.get_size_inches())
    scale = width / fig_w
    old_dpi = fig.dpi
    canv.saveState()
    try:
        fig.dpi = 72.0
        canv.scale(scale, scale)
        fig.draw(_RENDERER(canv, fig_w, fig_h))
    finally:
        fig.dpi = old_dpi
        canv.restoreState()
    return fig_h * scale


def figure_flowable(fig: Figure, max_width: float) -> Flowable:
    """A platypus flowable that draws ``fig`` as vectors, at most ``max_width`` wide."""
    from reportlab.platypus import Flowable

    fig_w, fig_h = (float(v) * 72.0 for v in fig.get_size_inches())

    class FigureFlowable(Flowable):  # type: ignore[misc]
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width = min(max_width, avail_width, fig_w)
            self.height = fig_h * self.width / fig_w
            return self.width, self.height

        def draw(self) -> None:
            draw_figure(fig, self.canv, self.width)

    return FigureFlowable()

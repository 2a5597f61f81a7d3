package vips

import (
	"math"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// huge stands for "unconstrained" on one side of a libvips thumbnail box (VIPS_MAX_COORD).
const huge = 10_000_000

// plan is the geometry of one transform, computed from the oriented (and trimmed) source size
// before any pixel is decoded, so that the load can shrink on load and nothing larger than
// needed is ever materialised.
type plan struct {
	// Resize fits the image inside boxW x boxH; enlarge allows scaling up (libvips
	// VIPS_SIZE_BOTH rather than VIPS_SIZE_DOWN).
	resize       bool
	boxW, boxH   int
	enlarge      bool
	cropFirst    bool // cover that enlarges: crop the source window, then scale to crop size
	srcW, srcH   int  // the source window of cropFirst
	crop         bool // cut a cropW x cropH window around the gravity focus after resizing
	cropW, cropH int
	exact        bool // force the output to exactly cropW x cropH (fixes libvips' rounding)
	pad          bool // embed in padW x padH with the background
	padW, padH   int
}

// planFor computes the plan for a w x h source (oriented, trimmed) and the options. maxSide is
// Config.MaxOutputSide; requested sizes were already checked against it.
func planFor(w, h int, o imaging.Options, maxSide int) plan {
	tw, th := o.TargetSize()
	fit := o.FitOrDefault()
	if tw == 0 && th == 0 {
		if w > maxSide || h > maxSide {
			return plan{resize: true, boxW: maxSide, boxH: maxSide}
		}
		return plan{}
	}
	if tw == 0 || th == 0 || fit == imaging.FitScaleDown || fit == imaging.FitContain || fit == imaging.FitPad {
		p := plan{resize: true, boxW: orMax(tw, maxSide), boxH: orMax(th, maxSide), enlarge: fit != imaging.FitScaleDown && fit != imaging.FitCrop}
		if fit == imaging.FitPad && tw != 0 && th != 0 {
			p.pad, p.padW, p.padH = true, tw, th
		}
		return p
	}
	// cover or crop with both sides: scale to cover the box, then cut the box out.
	s := math.Max(float64(tw)/float64(w), float64(th)/float64(h))
	if fit == imaging.FitCrop && s > 1 {
		s = 1 // crop never enlarges: smaller sources keep their size, cut to the box
	}
	if s > 1 {
		sw := clamp(int(math.Round(float64(tw)/s)), 1, w)
		sh := clamp(int(math.Round(float64(th)/s)), 1, h)
		return plan{cropFirst: true, srcW: sw, srcH: sh, resize: true, boxW: tw, boxH: th, enlarge: true, exact: true, cropW: tw, cropH: th}
	}
	p := plan{crop: true, cropW: min(tw, w), cropH: min(th, h), exact: fit == imaging.FitCover}
	if s < 1 {
		p.resize = true
		// Constrain only the side that decides the scale, so the other stays at least as
		// large as the box.
		if float64(w)*float64(th) > float64(h)*float64(tw) {
			p.boxW, p.boxH = huge, th
		} else {
			p.boxW, p.boxH = tw, huge
		}
	}
	return p
}

// window places a cw x ch window in a w x h image so that the focus point (fractions of w and
// h) is as central as the edges allow.
func window(w, h, cw, ch int, fx, fy float64) (left, top int) {
	left = clamp(int(math.Round(fx*float64(w)-float64(cw)/2)), 0, w-cw)
	top = clamp(int(math.Round(fy*float64(h)-float64(ch)/2)), 0, h-ch)
	return left, top
}

func orMax(v, max int) int {
	if v == 0 {
		return max
	}
	return v
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}

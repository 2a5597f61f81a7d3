package vips

import (
	govips "github.com/davidbyttow/govips/v2/vips"
)

// frameHeight is the height of one frame: libvips holds an animation as one tall image of
// frames stacked top to bottom, page-height rows each.
func (j *job) frameHeight() int {
	if j.animated {
		if ph := j.img.PageHeight(); ph > 0 {
			return ph
		}
	}
	return j.img.Height()
}

// perFrame applies fn to every frame and stacks the results again. Geometry on the stacked
// image would mix frames (a crop window or a blur kernel crossing a frame boundary), so
// animations are processed frame by frame; still images go to fn directly.
func (j *job) perFrame(stepName string, fn func(*govips.ImageRef) error) error {
	if !j.animated {
		if err := fn(j.img); err != nil {
			return j.fail(stepName, err)
		}
		return nil
	}
	ph := j.frameHeight()
	n := j.img.Height() / ph
	frames := make([]*govips.ImageRef, 0, n)
	defer func() {
		for _, f := range frames {
			f.Close()
		}
	}()
	for i := 0; i < n; i++ {
		f, err := j.img.Copy()
		if err != nil {
			return j.fail(stepName, err)
		}
		frames = append(frames, f)
		// govips' ExtractArea and Rotate act on every page of a multi-page image: a frame
		// must say it is a single page.
		if err := f.SetPages(1); err != nil {
			return j.fail(stepName, err)
		}
		if err := f.SetPageHeight(f.Height()); err != nil {
			return j.fail(stepName, err)
		}
		if err := f.ExtractArea(0, i*ph, j.img.Width(), ph); err != nil {
			return j.fail(stepName, err)
		}
		if err := fn(f); err != nil {
			return j.fail(stepName, err)
		}
	}
	joined, err := frames[0].Copy()
	if err != nil {
		return j.fail(stepName, err)
	}
	newHeight := joined.Height()
	if err := joined.ArrayJoin(frames[1:], 1); err == nil {
		if err = joined.SetPages(n); err == nil {
			err = joined.SetPageHeight(newHeight)
		}
	}
	if err != nil {
		joined.Close()
		return j.fail(stepName, err)
	}
	j.img.Close()
	j.img = joined
	return nil
}

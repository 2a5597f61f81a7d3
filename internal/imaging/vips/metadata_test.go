package vips

import (
	"strings"
	"testing"

	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

func TestMetadataOption(t *testing.T) {
	e := newEngine(t, nil)
	// A JPEG carrying a (non-sRGB) ICC profile and EXIF with a copyright and a camera make.
	src := viaVips(t, encodeJPEG(t, photo(80, 60)), func(i *govips.ImageRef) {
		if err := i.TransformICCProfile("p3"); err != nil {
			t.Fatal(err)
		}
		i.SetString("exif-ifd0-Copyright", "(c) Example Photographer")
		i.SetString("exif-ifd0-Make", "ExampleCam")
	}, func(i *govips.ImageRef) ([]byte, error) {
		b, _, err := i.ExportJpeg(&govips.JpegExportParams{Quality: 90})
		return b, err
	})
	in := decode(t, src, "image/jpeg")
	if !in.img.HasICCProfile() || !strings.Contains(in.img.GetString("exif-ifd0-Copyright"), "Example Photographer") || !strings.Contains(in.img.GetString("exif-ifd0-Make"), "ExampleCam") {
		t.Fatalf("test source lacks its metadata: icc=%v fields=%v", in.img.HasICCProfile(), in.img.GetFields())
	}
	tests := []struct {
		options               string
		icc, copyright, make_ bool
	}{
		{"w=40", false, false, false},
		{"w=40,metadata=none", false, false, false},
		{"w=40,metadata=copyright", false, true, false},
		{"w=40,metadata=keep", true, true, true},
	}
	for _, tt := range tests {
		for _, f := range []imaging.Format{imaging.FormatJPEG, imaging.FormatWebP} {
			d := transform(t, e, src, tt.options, f)
			icc := d.img.HasICCProfile()
			if f == imaging.FormatWebP && tt.icc {
				// govips cannot embed a profile in WebP: keep converts to sRGB instead.
				tt.icc = false
			}
			cr := strings.Contains(d.img.GetString("exif-ifd0-Copyright"), "Example Photographer")
			mk := strings.Contains(d.img.GetString("exif-ifd0-Make"), "ExampleCam")
			if icc != tt.icc || cr != tt.copyright || mk != tt.make_ {
				t.Errorf("%s as %s: icc=%v copyright=%v make=%v; want %v %v %v", tt.options, f, icc, cr, mk, tt.icc, tt.copyright, tt.make_)
			}
		}
	}
}

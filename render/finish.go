package render

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"sync"
	"unicode/utf16"

	"paiban/assets"
	"paiban/fonts"
)

// finish rewrites fpdf's output into a reproducible file. fpdf v0.9.0
// leaves these to chance or gets them wrong, so they are set here:
//
//   - page boxes: fpdf writes them from a Go map (random order) and with two
//     decimals; every page gets /MediaBox, /BleedBox, /TrimBox in that order
//     (the MediaBox larger than the BleedBox when there are crop marks);
//   - the Info dictionary: written from the document (UTF-16 where needed),
//     dates in UTC from the document, not the clock;
//   - font names: fpdf names a subset "utf8<family>" without the subset tag
//     PDF requires; it becomes TAG+Name with a tag derived from the glyph set;
//   - image objects: fpdf orders them by pixel width from a Go map, so images
//     of equal width swap object numbers from run to run; they are renumbered
//     by content hash;
//   - a binary comment after the header, and a trailer /ID from a hash of the
//     content.
//
// For print it also makes the file PDF/X-4:
//
//   - the header says PDF 1.6;
//   - the images fpdf cannot write (raw CMYK and grey pixels, see
//     convertPictures) are added as XObjects and to the resources;
//   - an OutputIntent (GTS_PDFX, FOGRA39) with the ICC profile embedded as
//     its DestOutputProfile, and an XMP metadata stream, both referenced
//     from the Catalog; the Catalog loses fpdf's empty EmbeddedFiles;
//   - Info gets /GTS_PDFXVersion (PDF/X-4) and /Trapped /False (and a Title
//     when the document has none);
//   - the transparency group fpdf adds to every page once something is
//     transparent blends in DeviceCMYK, as printed, not DeviceRGB.
//
// Objects are re-laid out and the cross-reference table is rebuilt, so
// nothing needs to keep its byte length.
func finish(raw []byte, fi *finishInfo) (*File, error) {
	p, err := parsePDF(raw)
	if err != nil {
		return nil, fmt.Errorf("reading the PDF writer's output: %w", err)
	}

	// Pages, in order, from the page tree root (object 1).
	root := p.byNum[1]
	if root == nil {
		return nil, errors.New("no page tree root")
	}
	kids := kidsRe.FindSubmatch(root.data)
	if kids == nil {
		return nil, errors.New("page tree root has no /Kids")
	}
	refs := refRe.FindAllSubmatch(kids[1], -1)
	if len(refs) != len(fi.pages) {
		return nil, fmt.Errorf("%d pages written, %d expected", len(refs), len(fi.pages))
	}
	for i, m := range refs {
		n, _ := strconv.Atoi(string(m[1]))
		o := p.byNum[n]
		if o == nil {
			return nil, fmt.Errorf("page object %d missing", n)
		}
		if o.data, err = rewritePage(o.data, fi.pages[i], fi.print); err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
	}

	// Fonts.
	renamed := 0
	for _, o := range p.objs {
		d := dictPart(o.data)
		if !bytes.Contains(d, []byte("/Type /Font")) {
			continue
		}
		var bad []byte
		nd := fontNameRe.ReplaceAllFunc(d, func(m []byte) []byte {
			s := fontNameRe.FindSubmatch(m)
			name, ok := fi.fonts[string(s[2])]
			if !ok {
				bad = s[2]
				return m
			}
			renamed++
			return slices.Concat([]byte("/"), s[1], []byte(" /"), []byte(name), s[3])
		})
		if bad != nil {
			return nil, fmt.Errorf("unknown font family %s", bad)
		}
		o.data = slices.Concat(nd, o.data[len(d):])
	}
	if renamed != 3*len(fi.fonts) {
		return nil, fmt.Errorf("renamed %d font names, expected %d", renamed, 3*len(fi.fonts))
	}

	// Info.
	info := p.byNum[p.info]
	if info == nil {
		return nil, errors.New("no Info dictionary")
	}
	info.data = slices.Concat(objHeader(p.info), fi.info, []byte("\nendobj\n"))

	// Images.
	if err := p.sortImages(); err != nil {
		return nil, err
	}
	if err := p.addXObjects(fi.xobjs); err != nil {
		return nil, err
	}
	if fi.spot {
		if !regexp.MustCompile(`/ColorSpace <<\n` + registrationCS + ` \d+ 0 R\n>>`).Match(p.byNum[2].data) {
			return nil, errors.New("the registration colour is not " + registrationCS)
		}
	}

	// PDF/X.
	xmpNum := 0
	if fi.print {
		p.header = []byte("%PDF-1.6\n")
		icc, err := iccStream()
		if err != nil {
			return nil, err
		}
		iccNum := p.add(streamObject(p.size, "/N 4\n/Alternate /DeviceCMYK\n/Filter /FlateDecode", icc))
		oiNum := p.add(slices.Concat(objHeader(p.size), []byte("<</Type /OutputIntent\n/S /GTS_PDFX\n/OutputConditionIdentifier (FOGRA39)\n/OutputCondition (Coated FOGRA39)\n/RegistryName (http://www.color.org)\n/Info (Coated FOGRA39 \\(ISO 12647-2:2004\\))\n"),
			[]byte("/DestOutputProfile "+strconv.Itoa(iccNum)+" 0 R>>\nendobj\n")))
		xmpNum = p.size // written last, see below
		p.size++
		cat := p.byNum[p.root]
		const head = "/Type /Catalog\n"
		i := bytes.Index(cat.data, []byte(head))
		if i < 0 {
			return nil, errors.New("no Catalog")
		}
		i += len(head)
		cat.data = slices.Concat(cat.data[:i], []byte(fmt.Sprintf("/OutputIntents [%d 0 R]\n/Metadata %d 0 R\n", oiNum, xmpNum)), cat.data[i:])
		cat.data = emptyNamesRe.ReplaceAll(cat.data, nil)
	}

	// Lay the file out again, as parts: the pictures' streams are not
	// copied.
	f := &File{}
	binaryMark := []byte("%\xE2\xE3\xCF\xD3\n")
	f.add(p.header)
	f.add(binaryMark)
	offsets := make([]int, p.size)
	for _, o := range p.objs {
		offsets[o.num] = f.n
		f.add(o.data)
		f.add(o.stream)
		f.add(o.end)
	}
	// Everything but the XMP (which holds it) and the cross-reference
	// table: the content hash, with the pictures' streams represented by
	// their own hashes (made while they were converted, on all cores).
	h := sha256.New()
	h.Write(p.header)
	h.Write(binaryMark)
	for _, o := range p.objs {
		h.Write(o.data)
		if o.streamSum != nil {
			h.Write(o.streamSum[:])
		} else {
			h.Write(o.stream)
		}
		h.Write(o.end)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	if xmpNum > 0 {
		offsets[xmpNum] = f.n
		f.add(streamObject(xmpNum, "/Type /Metadata\n/Subtype /XML", fi.xmp(sum)))
	}
	var out bytes.Buffer
	xref := f.n
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", p.size)
	for n := 1; n < p.size; n++ {
		if offsets[n] == 0 {
			return nil, fmt.Errorf("object %d lost", n)
		}
		fmt.Fprintf(&out, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&out, "trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n/ID [<%X> <%X>]\n>>\nstartxref\n%d\n%%%%EOF\n",
		p.size, p.root, p.info, sum[:16], sum[:16], xref)
	f.add(out.Bytes())
	return f, nil
}

// emptyNamesRe is the name dictionary fpdf always writes into the
// Catalog, with an empty EmbeddedFiles tree.
var emptyNamesRe = regexp.MustCompile(`/Names <<\n/EmbeddedFiles << /Names \[\s*\] >>\n>>\n`)

// add appends an object numbered p.size (its data made for that number)
// and returns the number.
func (p *pdfFile) add(data []byte) int {
	n := p.size
	o := &pdfObj{num: n, data: data}
	p.objs = append(p.objs, o)
	p.byNum[n] = o
	p.size++
	return n
}

// streamObject is object n: a stream with the dictionary entries dict and
// the data.
func streamObject(n int, dict string, data []byte) []byte {
	b := make([]byte, 0, len(data)+len(dict)+64)
	b = append(b, objHeader(n)...)
	b = append(b, "<<"...)
	b = append(b, dict...)
	b = append(b, "\n/Length "...)
	b = strconv.AppendInt(b, int64(len(data)), 10)
	b = append(b, ">>\nstream\n"...)
	b = append(b, data...)
	return append(b, "\nendstream\nendobj\n"...)
}

// addXObjects adds the images render embeds itself and names them in the
// resource dictionary (object 2, shared by every page).
func (p *pdfFile) addXObjects(xs []*xobject) error {
	if len(xs) == 0 {
		return nil
	}
	res := p.byNum[2]
	const head = "/XObject <<\n"
	if res == nil || bytes.Index(res.data, []byte(head)) < 0 {
		return errors.New("no XObject resources")
	}
	i := bytes.Index(res.data, []byte(head))
	i += len(head)
	var names []byte
	for _, x := range xs {
		filter := x.filter
		if filter == "" {
			filter = "FlateDecode"
		}
		// The picture's data is written in place, not copied.
		head := streamObject(p.size, fmt.Sprintf("/Type /XObject\n/Subtype /Image\n/Width %d\n/Height %d\n/ColorSpace /%s\n/BitsPerComponent 8\n/Filter /%s\n/Length %d", x.w, x.h, x.cs, filter, len(x.data)), nil)
		head = head[:bytes.LastIndex(head, []byte("\n/Length 0>>"))]
		head = append(head, ">>\nstream\n"...)
		n := p.add(head)
		p.byNum[n].stream, p.byNum[n].end = x.data, []byte("\nendstream\nendobj\n")
		p.byNum[n].streamSum = &x.sum
		names = fmt.Appendf(names, "/%s %d 0 R\n", x.name, n)
	}
	res.data = slices.Concat(res.data[:i], names, res.data[i:])
	return nil
}

// iccStream is the output profile, compressed once.
var iccStream = sync.OnceValues(func() ([]byte, error) {
	var b bytes.Buffer
	zw, err := zlib.NewWriterLevel(&b, zlib.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Write(assets.FOGRA39)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
})

// finishInfo is what finish needs to know about the document.
type finishInfo struct {
	print bool // PDF/X-4
	pages []pageBoxes
	fonts map[string]string // fpdf family → PDF font name with subset tag
	info  []byte            // the Info dictionary, << … >>
	xobjs []*xobject        // images render embeds itself, by name
	spot  bool              // the registration colour is used
	meta  []metaEntry       // Info's text entries, for the XMP
	date  string            // creation and modification date, XMP form
}

type metaEntry struct{ key, val string }

type pageBoxes struct {
	width, height, bleed float64 // trim size and bleed
	margin               float64 // from the MediaBox's edges to the trim
}

// producer names the program in Info and XMP.
const producer = "paiban"

func (r *renderer) finishInfo() *finishInfo {
	fi := &finishInfo{print: r.opt.Profile == Print, fonts: make(map[string]string), xobjs: r.sortedXObjects(), spot: r.spot}
	for _, pg := range r.doc.Pages {
		fi.pages = append(fi.pages, pageBoxes{pg.Width, pg.Height, pg.Bleed, r.margin(pg)})
	}
	for _, u := range r.used {
		if len(u.runes) > 0 { // embedded
			fi.fonts[u.family] = subsetTag(u) + "+" + pdfName(u.face.Name)
		}
	}
	title := r.doc.Title
	if title == "" && fi.print {
		title = "Untitled" // PDF/X requires a Title
	}
	fi.meta = []metaEntry{
		{"Title", title},
		{"Author", r.doc.Author},
		{"Subject", r.doc.Subject},
		{"Keywords", r.doc.Keywords},
		{"Creator", producer},
		{"Producer", producer},
	}
	d := docDate(r.doc)
	fi.date = d.Format("2006-01-02T15:04:05Z")
	date := []byte("D:" + d.Format("20060102150405") + "Z")
	var b bytes.Buffer
	b.WriteString("<<\n")
	for _, e := range fi.meta {
		if e.val != "" {
			fmt.Fprintf(&b, "/%s %s\n", e.key, textString(e.val))
		}
	}
	fmt.Fprintf(&b, "/CreationDate %s\n/ModDate %s\n", textString(string(date)), textString(string(date)))
	if fi.print {
		b.WriteString("/GTS_PDFXVersion (PDF/X-4)\n/Trapped /False\n")
	}
	b.WriteString(">>")
	fi.info = b.Bytes()
	return fi
}

// xmp is the XMP metadata packet of a print PDF: the Info dictionary's
// entries again (ISO 15930-7 wants them to agree), PDF/X-4 identification
// and document and instance IDs derived from sum, the hash of the rest of
// the file.
func (fi *finishInfo) xmp(sum [32]byte) []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	uuid := func(b []byte) string {
		u := slices.Clone(b[:16])
		u[6] = u[6]&0x0F | 0x50 // name-based (SHA) UUID
		u[8] = u[8]&0x3F | 0x80
		return fmt.Sprintf("uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
	}
	m := map[string]string{}
	for _, e := range fi.meta {
		m[e.key] = e.val
	}
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
`)
	fmt.Fprintf(&b, "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", esc(m["Title"]))
	if v := m["Author"]; v != "" {
		fmt.Fprintf(&b, "   <dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", esc(v))
	}
	if v := m["Subject"]; v != "" {
		fmt.Fprintf(&b, "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", esc(v))
	}
	if v := m["Keywords"]; v != "" {
		fmt.Fprintf(&b, "   <pdf:Keywords>%s</pdf:Keywords>\n", esc(v))
	}
	fmt.Fprintf(&b, "   <pdf:Producer>%s</pdf:Producer>\n   <pdf:Trapped>False</pdf:Trapped>\n", esc(m["Producer"]))
	fmt.Fprintf(&b, "   <xmp:CreatorTool>%s</xmp:CreatorTool>\n", esc(m["Creator"]))
	fmt.Fprintf(&b, "   <xmp:CreateDate>%s</xmp:CreateDate>\n   <xmp:ModifyDate>%[1]s</xmp:ModifyDate>\n   <xmp:MetadataDate>%[1]s</xmp:MetadataDate>\n", fi.date)
	fmt.Fprintf(&b, "   <xmpMM:DocumentID>%s</xmpMM:DocumentID>\n   <xmpMM:InstanceID>%s</xmpMM:InstanceID>\n", uuid(sum[:16]), uuid(sum[16:]))
	b.WriteString(`   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>`)
	return b.Bytes()
}

// subsetTag is the subset name prefix of a face as the document uses it.
func subsetTag(u *faceUse) string { return fonts.SubsetTag(u.face.Name, u.runes) }

// pdfName keeps the characters a PDF name may hold unescaped.
func pdfName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c <= ' ' || c >= 0x7F || bytes.IndexByte([]byte("()<>[]{}/%#"), c) >= 0 {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "Font"
	}
	return string(b)
}

// textString writes s as a PDF text string: a literal string when it is
// printable ASCII, otherwise UTF-16BE with a byte order mark, in hex.
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			ascii = false
			break
		}
	}
	if ascii {
		var b bytes.Buffer
		b.WriteByte('(')
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '(' || c == ')' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		}
		b.WriteByte(')')
		return b.String()
	}
	return fmt.Sprintf("<FEFF%X>", utf16BE(s))
}

// utf16BE encodes s as UTF-16BE, surrogate pairs included.
func utf16BE(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return b
}

var (
	kidsRe     = regexp.MustCompile(`/Kids \[([0-9 R]*)\]`)
	refRe      = regexp.MustCompile(`(\d+) 0 R`)
	fontNameRe = regexp.MustCompile(`/(BaseFont|FontName) /utf8(f\d+)(\s)`)
	xobjRe     = regexp.MustCompile(`/I([0-9a-f]+) (\d+) 0 R`)
	smaskRe    = regexp.MustCompile(`/SMask (\d+) 0 R`)
	paletteRe  = regexp.MustCompile(`/Indexed /DeviceRGB \d+ (\d+) 0 R`)
	boxLineRe  = regexp.MustCompile(`^/(MediaBox|CropBox|BleedBox|TrimBox|ArtBox) `)
)

// rewritePage replaces a page object's boxes with the MediaBox (the
// BleedBox, or larger for crop marks), the BleedBox (trim + bleed) and the
// TrimBox, in that order, and for print makes its transparency group (if
// any) blend in CMYK.
func rewritePage(data []byte, pb pageBoxes, print bool) ([]byte, error) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	out := make([]byte, 0, len(data)+128)
	found := false
	for _, l := range lines {
		if boxLineRe.Match(l) {
			continue
		}
		if print && bytes.HasPrefix(l, []byte("/Group ")) {
			l = bytes.Replace(l, []byte("/CS /DeviceRGB>>"), []byte("/CS /DeviceCMYK>>"), 1)
		}
		out = append(out, l...)
		if string(l) == "<</Type /Page\n" {
			found = true
			m, b := pb.margin, pb.bleed
			out = append(out, "/MediaBox ["...)
			out = appendNums(out, 0, 0, pb.width+2*m, pb.height+2*m)
			out = append(out, "]\n/BleedBox ["...)
			out = appendNums(out, m-b, m-b, m+pb.width+b, m+pb.height+b)
			out = append(out, "]\n/TrimBox ["...)
			out = appendNums(out, m, m, m+pb.width, m+pb.height)
			out = append(out, "]\n"...)
		}
	}
	if !found {
		return nil, errors.New("not a page object")
	}
	return out, nil
}

// pdfFile is fpdf's output cut into objects.
type pdfFile struct {
	header     []byte
	objs       []*pdfObj // in file order
	byNum      map[int]*pdfObj
	size       int // xref /Size
	root, info int
}

type pdfObj struct {
	num  int
	data []byte // "N 0 obj\n … endobj\n"
	// stream and end, when set, follow data in the file: a large image
	// stream written in place rather than copied into data.
	stream, end []byte
	// streamSum, when set, is the SHA-256 of stream, made by whoever made
	// the stream (on its own goroutine): the content hash takes it in
	// place of the stream's bytes.
	streamSum *[sha256.Size]byte
}

func objHeader(n int) []byte { return []byte(strconv.Itoa(n) + " 0 obj\n") }

// dictPart is an object up to the end of its dictionary when it is a
// stream (stream data is binary), else the whole object.
func dictPart(data []byte) []byte {
	if i := bytes.Index(data, []byte(">>\nstream\n")); i >= 0 {
		return data[:i+2]
	}
	return data
}

var trailerNumRe = regexp.MustCompile(`/(Size|Root|Info|Encrypt) (\d+)`)

// parsePDF cuts a classic (fpdf) PDF into its objects using its
// cross-reference table.
func parsePDF(raw []byte) (*pdfFile, error) {
	i := bytes.LastIndex(raw, []byte("startxref\n"))
	if i < 0 {
		return nil, errors.New("no startxref")
	}
	rest := raw[i+len("startxref\n"):]
	j := bytes.IndexByte(rest, '\n')
	if j < 0 {
		return nil, errors.New("bad startxref")
	}
	xref, err := strconv.Atoi(string(rest[:j]))
	if err != nil || xref <= 0 || xref >= i {
		return nil, errors.New("bad startxref offset")
	}
	x := raw[xref:i]
	if !bytes.HasPrefix(x, []byte("xref\n0 ")) {
		return nil, errors.New("no xref table at startxref")
	}
	x = x[len("xref\n0 "):]
	j = bytes.IndexByte(x, '\n')
	if j < 0 {
		return nil, errors.New("bad xref table")
	}
	size, err := strconv.Atoi(string(x[:j]))
	if err != nil || size < 3 || len(x) < j+1+20*size {
		return nil, errors.New("bad xref table size")
	}
	entries := x[j+1:]
	trailer := entries[20*size:]
	p := &pdfFile{byNum: make(map[int]*pdfObj, size), size: size}
	for _, m := range trailerNumRe.FindAllSubmatch(trailer, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		switch string(m[1]) {
		case "Size":
			if n != size {
				return nil, errors.New("trailer /Size disagrees with the xref table")
			}
		case "Root":
			p.root = n
		case "Info":
			p.info = n
		case "Encrypt":
			return nil, errors.New("encrypted output is not supported")
		}
	}
	if p.root == 0 || p.info == 0 {
		return nil, errors.New("trailer without /Root or /Info")
	}
	type loc struct{ num, off int }
	locs := make([]loc, 0, size)
	for n := 1; n < size; n++ {
		e := entries[20*n : 20*n+20]
		if e[17] != 'n' {
			return nil, fmt.Errorf("object %d is not in use", n)
		}
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil || off <= 0 || off >= xref {
			return nil, fmt.Errorf("bad offset for object %d", n)
		}
		locs = append(locs, loc{n, off})
	}
	sort.Slice(locs, func(a, b int) bool { return locs[a].off < locs[b].off })
	p.header = raw[:locs[0].off]
	for k, l := range locs {
		end := xref
		if k+1 < len(locs) {
			end = locs[k+1].off
		}
		data := raw[l.off:end]
		if !bytes.HasPrefix(data, objHeader(l.num)) {
			return nil, fmt.Errorf("object %d is not where the xref table says", l.num)
		}
		o := &pdfObj{num: l.num, data: data}
		p.objs = append(p.objs, o)
		p.byNum[l.num] = o
	}
	return p, nil
}

// sortImages gives image objects (each with its soft mask and palette)
// numbers in the order of their content hash, which fpdf uses as their
// resource name, instead of the chance order fpdf wrote them in.
func (p *pdfFile) sortImages() error {
	res := p.byNum[2]
	if res == nil {
		return errors.New("no resource dictionary")
	}
	type group struct {
		hash string
		nums []int
	}
	var groups []group
	seen := make(map[int]bool)
	for _, m := range xobjRe.FindAllSubmatch(res.data, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		if seen[n] {
			continue // the same picture under another name
		}
		seen[n] = true
		o := p.byNum[n]
		if o == nil {
			return fmt.Errorf("image object %d missing", n)
		}
		g := group{hash: string(m[1]), nums: []int{n}}
		d := dictPart(o.data)
		for _, re := range []*regexp.Regexp{smaskRe, paletteRe} {
			if s := re.FindSubmatch(d); s != nil {
				k, _ := strconv.Atoi(string(s[1]))
				if p.byNum[k] == nil {
					return fmt.Errorf("image part %d missing", k)
				}
				if !seen[k] {
					seen[k] = true
					g.nums = append(g.nums, k)
				}
			}
		}
		groups = append(groups, g)
	}
	if len(groups) < 2 {
		return nil
	}
	var slots []int
	for _, g := range groups {
		slots = append(slots, g.nums...)
	}
	slices.Sort(slots)
	sort.SliceStable(groups, func(a, b int) bool { return groups[a].hash < groups[b].hash })
	renum := make(map[int]int)
	k := 0
	for _, g := range groups {
		for _, n := range g.nums {
			renum[n] = slots[k]
			k++
		}
	}
	identity := true
	for o, n := range renum {
		if o != n {
			identity = false
		}
	}
	if identity {
		return nil
	}
	refs := func(re *regexp.Regexp, b []byte) []byte {
		return re.ReplaceAllFunc(b, func(m []byte) []byte {
			s := re.FindSubmatchIndex(m)
			last := len(s) - 2
			n, _ := strconv.Atoi(string(m[s[last]:s[last+1]]))
			if nn, ok := renum[n]; ok {
				return slices.Concat(m[:s[last]], []byte(strconv.Itoa(nn)), m[s[last+1]:])
			}
			return m
		})
	}
	posOf := make(map[int]int, len(p.objs))
	for i, o := range p.objs {
		posOf[o.num] = i
	}
	res.data = refs(xobjRe, res.data)
	moved := make(map[int]*pdfObj, len(renum))
	for old, n := range renum {
		o := p.byNum[old]
		d := dictPart(o.data)
		body := slices.Concat(refs(paletteRe, refs(smaskRe, d)), o.data[len(d):])
		moved[n] = &pdfObj{num: n, data: slices.Concat(objHeader(n), body[len(objHeader(old)):])}
	}
	// The file position that held object n now holds the object numbered n:
	// the file order stays by number, as fpdf wrote it.
	for _, n := range slots {
		p.objs[posOf[n]] = moved[n]
		p.byNum[n] = moved[n]
	}
	return nil
}

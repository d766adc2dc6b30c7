// Package manifest reads a magazine issue — issue.toml and the Markdown
// articles it lists — into the document model (Issue, Section, Article,
// Block, Inline), checking everything on the way.
//
// Parse reads a whole issue; ParseArticle one article. The keys of
// issue.toml ([issue], [page], [fonts], [style] with [style.NAME],
// [cover], [[section]], [back]) are listed on Parse, those of an
// article's front matter on ParseArticle. Both report every problem they
// find, not only the first, as an Errors: one *Error per problem, each
// "file:line:col: what is wrong — what to do", sorted by file (the
// manifest, then the articles in the order it lists them), line and
// column. Columns count bytes, as the Go tools do.
//
// Decisions about Markdown (details on ParseArticle):
//   - Articles are CommonMark, parsed by goldmark, with one change: the
//     CJK-friendly emphasis amendment, so 他读了**《三体》**三遍 is bold
//     《三体》 (see cjkEmphasisParser). A ** still left over is an error.
//   - A line break inside a paragraph joins CJK text with nothing and
//     Latin text with a space; hard breaks are treated the same, since the
//     model has no forced line break.
//   - Each list item becomes a Paragraph; ordered items keep their marker
//     ("1. "), bullet items drop theirs.
//   - A paragraph of images is figures; an image's title, which Markdown
//     would show as a tooltip, says how the figure is placed:
//     ![说明](images/a.jpg "wide top fit focus=30%,40%") (see Placement,
//     ParseArticle).
//   - Raw HTML (other than comments), code blocks, tables, thematic breaks
//     and images inside text are errors.
package manifest

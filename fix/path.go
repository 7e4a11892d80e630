package fix

import (
	"fmt"
	"strconv"
	"strings"
)

// segment is one step of a field path: a mapping key (name) or a list
// index.
type segment struct {
	key     string
	index   int
	isIndex bool
}

func (s segment) String() string {
	if s.isIndex {
		return "[" + strconv.Itoa(s.index) + "]"
	}
	return s.key
}

// parsePath splits a field path as findings write it:
// "spec.containers[1].securityContext", "metadata.annotations[a.b/c]",
// "linux.resources.unified[pids.max]". A bracketed number is a list index;
// anything else in brackets is a mapping key, dots and all.
func parsePath(p string) ([]segment, error) {
	if p == "" {
		return nil, fmt.Errorf("empty path")
	}
	var segs []segment
	for i := 0; i < len(p); {
		switch p[i] {
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q: unclosed [", p)
			}
			inner := p[i+1 : i+end]
			if n, err := strconv.Atoi(inner); err == nil && n >= 0 && inner == strconv.Itoa(n) {
				segs = append(segs, segment{index: n, isIndex: true})
			} else {
				if inner == "" {
					return nil, fmt.Errorf("path %q: empty key", p)
				}
				segs = append(segs, segment{key: inner})
			}
			i += end + 1
			if i < len(p) && p[i] == '.' {
				i++
				if i == len(p) {
					return nil, fmt.Errorf("path %q ends with a dot", p)
				}
			}
		case '.':
			return nil, fmt.Errorf("path %q: empty name", p)
		default:
			end := strings.IndexAny(p[i:], ".[")
			if end < 0 {
				end = len(p) - i
			}
			segs = append(segs, segment{key: p[i : i+end]})
			i += end
			if i < len(p) && p[i] == '.' {
				i++
				if i == len(p) {
					return nil, fmt.Errorf("path %q ends with a dot", p)
				}
			}
		}
	}
	return segs, nil
}

// joinPath renders segments as a field path.
func joinPath(segs []segment) string {
	var b strings.Builder
	for i, s := range segs {
		switch {
		case s.isIndex:
			b.WriteString(s.String())
		case i == 0:
			b.WriteString(s.key)
		case strings.ContainsAny(s.key, ".[]"):
			b.WriteString("[" + s.key + "]")
		default:
			b.WriteString("." + s.key)
		}
	}
	return b.String()
}

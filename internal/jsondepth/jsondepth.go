// Package jsondepth measures how deeply JSON text nests, before it is
// decoded: the loaders refuse documents nested past their limit without
// handing them to a decoder whose cost grows with depth.
package jsondepth

// Depth returns the deepest nesting of objects and arrays in the JSON
// text b, stopping as soon as it passes max. It does not validate b: it
// only skips strings (with their escapes) so that brackets inside them do
// not count. It never recurses and never allocates.
func Depth(b []byte, max int) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > deepest {
				deepest = depth
				if deepest > max {
					return deepest
				}
			}
		case '}', ']':
			depth--
		}
	}
	return deepest
}

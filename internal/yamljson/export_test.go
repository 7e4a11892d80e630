package yamljson

// AppendString is appendString, for the tests.
var AppendString = appendString

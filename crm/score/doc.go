// Package score owns Pacemaker's saturating integer score: values are
// clamped to ±INFINITY (1000000) and -INFINITY dominates +INFINITY when
// scores are added, so a ban can never be outweighed.
package score

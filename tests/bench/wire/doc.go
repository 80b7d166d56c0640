// Package wire benchmarks the 3.0.6 wire codec: encode+sign and
// verify+decode of real captured messages, per authkeys method.
package wire

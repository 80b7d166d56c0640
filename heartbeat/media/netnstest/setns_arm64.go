package netnstest

const setnsTrap = 268

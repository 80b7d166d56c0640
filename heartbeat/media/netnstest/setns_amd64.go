package netnstest

const setnsTrap = 308

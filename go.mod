module hbgo

go 1.25

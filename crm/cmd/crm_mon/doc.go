// Command crm_mon prints the cluster status the way Pacemaker 2.1.5's
// crm_mon does, one-shot (-1) as text or as XML (--output-as=xml), reading
// the CIB from CIB_file.
package main

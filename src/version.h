#ifndef JT_VERSION_H
#define JT_VERSION_H
#define JOBTRACK_VERSION "0.1.0"
#endif

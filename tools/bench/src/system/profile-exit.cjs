// Preloaded (node --require) into apps the bench profiles: SIGUSR2 ends the process with a normal
// exit, which is when V8's --cpu-prof writes the profile.
process.on('SIGUSR2', () => process.exit(0));

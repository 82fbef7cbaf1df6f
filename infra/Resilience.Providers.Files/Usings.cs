// Atomic writes, ownership and hashing come from the platform library; a file's owner is its uid:gid pair.
global using Resilience.Platform;
global using FileOwner = Resilience.Platform.UnixUser;

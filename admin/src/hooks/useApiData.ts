import * as React from 'react';

interface ApiData<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => Promise<void>;
  /** Replaces the data with what a mutation answered, without a new request. */
  setData: React.Dispatch<React.SetStateAction<T | undefined>>;
}

/**
 * Loads one resource of the plugin's API when the page mounts and whenever `load` changes
 * (wrap it in useCallback with the query it depends on). A stale answer never overwrites a newer one.
 */
export const useApiData = <T>(load: () => Promise<T>): ApiData<T> => {
  const [data, setData] = React.useState<T>();
  const [error, setError] = React.useState<unknown>();
  const [isLoading, setIsLoading] = React.useState(true);
  const latestRequest = React.useRef(0);

  const reload = React.useCallback(async () => {
    const request = ++latestRequest.current;
    setIsLoading(true);
    try {
      const result = await load();
      if (request === latestRequest.current) {
        setData(result);
        setError(undefined);
      }
    } catch (caught) {
      if (request === latestRequest.current) setError(caught);
    } finally {
      if (request === latestRequest.current) setIsLoading(false);
    }
  }, [load]);

  React.useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, isLoading, reload, setData };
};

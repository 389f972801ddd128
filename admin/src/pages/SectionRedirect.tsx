import { Navigate } from 'react-router-dom';

/** `/settings/mcp-server` has no page of its own: it opens the overview. */
export const SectionRedirect = () => <Navigate to="overview" replace />;

export { FleetPage, fleetCsv } from './FleetPage';
